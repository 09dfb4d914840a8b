// A blob source over a registry repository, in the shape oci/blob-source.ts uses (`get(digest,
// descriptor?)`): base-image layers are fetched only when a writer needs them, each checked
// against its digest, manifests from the manifests endpoint and everything else from blobs.
import { isIndexMediaType, isManifestMediaType, type Descriptor, type Digest } from '../types.ts';
import { RegistryClient, type RegistryClientOptions } from './client.ts';
import { parseReference, shortName, type Reference } from './reference.ts';

export interface RegistryBlobSource {
  readonly reference: Reference;
  get(digest: Digest, descriptor?: Descriptor): Promise<Uint8Array>;
}

// Blobs and manifests of one repository, fetched lazily through `client` (or a new one).
export function registryBlobSource(reference: string | Reference, options: RegistryClientOptions & { readonly client?: RegistryClient } = {}): RegistryBlobSource {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const client = options.client ?? new RegistryClient(options);
  const action = `fetching from ${shortName(ref)}`;
  return {
    reference: ref,
    async get(digest, descriptor) {
      if (descriptor && (isManifestMediaType(descriptor.mediaType) || isIndexMediaType(descriptor.mediaType))) {
        return (await client.getManifest({ registry: ref.registry, repository: ref.repository, digest }, action)).bytes;
      }
      return client.getBlob(ref, digest, descriptor?.size, action);
    },
  };
}

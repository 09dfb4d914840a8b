// One index from images that are already in a repository: what an engine that pushes one image
// per platform (a Docker engine without buildx) lacks. Each source is read back (an image
// manifest's platform comes from its config; an index contributes its runnable entries), and the
// index is written at the target tag. Only manifests are written: no blob moves.
import { jsonBytes } from '../digest.ts';
import { type Descriptor, type ImageIndex, isIndexMediaType, isManifestMediaType, type Manifest, MEDIA_TYPE, type OciPlatform } from '../types.ts';
import { RegistryClient, type RegistryClientOptions } from './client.ts';
import { registryError } from './errors.ts';
import { formatPlatform, isAttestation } from './platform.ts';
import { formatReference, type Reference, shortName } from './reference.ts';

export interface CombineResult {
  readonly digest: string;
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
}

async function entriesOf(client: RegistryClient, source: Reference): Promise<Descriptor[]> {
  const action = `reading ${shortName(source)} for an index`;
  const fetched = await client.getManifest(source, action);
  const body = JSON.parse(new TextDecoder().decode(fetched.bytes)) as Manifest | ImageIndex;
  if (isIndexMediaType(fetched.mediaType)) return (body as ImageIndex).manifests.filter((d) => !isAttestation(d));
  if (!isManifestMediaType(fetched.mediaType)) {
    throw registryError('REGISTRY_PROTOCOL', { head: `${formatReference(source)} is not an image`, action, what: `its media type is "${fetched.mediaType}"` });
  }
  const config = JSON.parse(new TextDecoder().decode(await client.getBlob(source, (body as Manifest).config.digest, (body as Manifest).config.size, action))) as Partial<OciPlatform>;
  if (!config.os || !config.architecture) {
    throw registryError('REGISTRY_PROTOCOL', { head: `${formatReference(source)} has no platform`, action, what: 'its config names no os/architecture' });
  }
  const platform: OciPlatform = { architecture: config.architecture, os: config.os, ...(config.variant ? { variant: config.variant } : {}) };
  return [{ mediaType: fetched.mediaType, digest: fetched.digest, size: fetched.size, platform }];
}

// Writes at `target` an index of the images at `sources` (same registry and repository: an index
// names its entries by digest inside one repository). A Docker manifest list when every entry is
// a Docker manifest, else an OCI index. Two entries for one platform are refused.
export async function pushIndexOf(target: Reference, sources: readonly Reference[], options: RegistryClientOptions & { client?: RegistryClient } = {}): Promise<CombineResult> {
  const foreign = sources.find((s) => s.registry !== target.registry || s.repository !== target.repository);
  if (foreign) {
    throw registryError('REFERENCE_INVALID', { head: `${formatReference(foreign)} is not in ${target.registry}/${target.repository}`, what: 'an index can only list manifests of its own repository', hint: 'push every platform\'s image to the repository of the index first' });
  }
  const client = options.client ?? new RegistryClient(options);
  const manifests = (await Promise.all(sources.map((s) => entriesOf(client, s)))).flat();
  const seen = new Set<string>();
  for (const d of manifests) {
    const platform = formatPlatform(d.platform);
    if (seen.has(platform)) throw registryError('REFERENCE_INVALID', { head: `two images for ${platform}`, what: `the sources ${sources.map(formatReference).join(', ')} overlap` });
    seen.add(platform);
  }
  const docker = manifests.every((d) => d.mediaType === MEDIA_TYPE.DOCKER_MANIFEST);
  const mediaType = docker ? MEDIA_TYPE.DOCKER_MANIFEST_LIST : MEDIA_TYPE.OCI_INDEX;
  const index = { schemaVersion: 2, mediaType, manifests };
  const digest = await client.putManifest(target, jsonBytes(index), mediaType, `pushing the index ${shortName(target)}`);
  return { digest, mediaType, manifests };
}

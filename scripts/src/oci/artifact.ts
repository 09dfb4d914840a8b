// OCI 1.1 artifacts that refer to an image (image-spec manifest.md, "subject"): a manifest whose
// config is the empty descriptor, whose one layer is the payload (an SBOM, a signature, …) and
// whose `subject` names the image it is about. Registries list such manifests as the image's
// referrers; layouts keep them in index.json beside the image. Nothing here knows what the
// payload means.
import { jsonBytes, sha256Digest } from './digest.ts';
import type { PendingBlob } from './image-index.ts';
import { MEDIA_TYPE, type Descriptor } from './types.ts';

export const EMPTY_JSON_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
export const EMPTY_JSON = new TextEncoder().encode('{}');
/** The empty descriptor of image-spec 1.1, with its two bytes inlined as `data`. */
export const EMPTY_DESCRIPTOR: Descriptor & { readonly data: string } = { mediaType: EMPTY_JSON_MEDIA_TYPE, digest: sha256Digest(EMPTY_JSON), size: 2, data: 'e30=' };

export interface ArtifactInput {
  readonly artifactType: string;
  /** The payload's bytes and media type (for an SBOM, usually the artifactType itself). */
  readonly payload: Uint8Array;
  readonly payloadMediaType?: string;
  /** The image manifest this artifact is about (its platform is dropped). */
  readonly subject: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Artifact {
  readonly manifestBytes: Uint8Array;
  /** The artifact manifest's descriptor with artifactType (what a referrers index lists). */
  readonly descriptor: Descriptor;
  readonly subject: Descriptor;
  /** Config, payload and the manifest itself, for layouts and pushes. */
  readonly blobs: readonly PendingBlob[];
}

// Builds the artifact manifest; the same input gives the same bytes.
export function artifact(input: ArtifactInput): Artifact {
  const { platform: _p, annotations: _a, ...subject } = input.subject;
  const layer: Descriptor = { mediaType: input.payloadMediaType ?? input.artifactType, digest: sha256Digest(input.payload), size: input.payload.byteLength };
  const annotations = input.annotations && Object.keys(input.annotations).length > 0 ? input.annotations : undefined;
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE.OCI_MANIFEST,
    artifactType: input.artifactType,
    config: EMPTY_DESCRIPTOR,
    layers: [layer],
    subject,
    ...(annotations ? { annotations } : {}),
  };
  const manifestBytes = jsonBytes(manifest);
  const descriptor: Descriptor = {
    mediaType: MEDIA_TYPE.OCI_MANIFEST,
    digest: sha256Digest(manifestBytes),
    size: manifestBytes.byteLength,
    artifactType: input.artifactType,
    ...(annotations ? { annotations } : {}),
  };
  return {
    manifestBytes,
    descriptor,
    subject,
    blobs: [
      { descriptor: EMPTY_DESCRIPTOR, bytes: EMPTY_JSON },
      { descriptor: layer, bytes: input.payload },
      { descriptor: { mediaType: MEDIA_TYPE.OCI_MANIFEST, digest: descriptor.digest, size: descriptor.size }, bytes: manifestBytes },
    ],
  };
}

// The referrers tag of a subject digest (distribution-spec "referrers tag schema"): `sha256-<hex>`.
export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}

// An image index listing referrers, as the referrers API answers and the tag schema stores it.
export function referrersIndexBytes(manifests: readonly Descriptor[]): Uint8Array {
  return jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPE.OCI_INDEX, manifests });
}

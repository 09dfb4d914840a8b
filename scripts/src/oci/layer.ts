// A layer ready to be added to an image: the gzip'd tar and the two addresses the spec needs —
// `digest` (of the compressed blob, in the manifest) and `diffId` (of the tar, in the config).
import { sha256Digest } from './digest.ts';
import { gunzip, gzip, isGzip } from './gzip.ts';
import { readTar, type TarReadEntry } from './tar-read.ts';
import { writeTar, type TarEntry, type TarOptions } from './tar.ts';
import { MEDIA_TYPE, type Descriptor, type Digest } from './types.ts';

export interface Layer {
  readonly mediaType: string;
  /** sha256 of `bytes` (the compressed blob). */
  readonly digest: Digest;
  /** sha256 of the uncompressed tar. */
  readonly diffId: Digest;
  readonly size: number;
  readonly bytes: Uint8Array;
}

// Builds a tar+gzip layer from file entries; same entries and epoch → same bytes and digests.
export async function layerFromEntries(entries: readonly TarEntry[], options: TarOptions): Promise<Layer> {
  return layerFromTar(writeTar(entries, options));
}

// Compresses an existing uncompressed tar into a layer (the tar is hashed for the diff_id).
export async function layerFromTar(tar: Uint8Array): Promise<Layer> {
  const bytes = await gzip(tar);
  return { mediaType: MEDIA_TYPE.OCI_LAYER_GZIP, digest: sha256Digest(bytes), diffId: sha256Digest(tar), size: bytes.byteLength, bytes };
}

// Wraps an already compressed layer blob (e.g. read back from a layout), recomputing the diff_id.
export async function layerFromBlob(bytes: Uint8Array, mediaType: string = MEDIA_TYPE.OCI_LAYER_GZIP): Promise<Layer> {
  const tar = isGzip(bytes) ? await gunzip(bytes) : bytes;
  return { mediaType, digest: sha256Digest(bytes), diffId: sha256Digest(tar), size: bytes.byteLength, bytes };
}

// The manifest's view of a layer.
export function layerDescriptor(layer: Layer): Descriptor {
  return { mediaType: layer.mediaType, digest: layer.digest, size: layer.size };
}

// The entries of a layer blob (gzip'd or plain tar): e.g. a base image's file list, to check that
// it has /etc/passwd or that an app layer would not shadow one of its files.
export async function layerEntries(bytes: Uint8Array): Promise<TarReadEntry[]> {
  return readTar(isGzip(bytes) ? await gunzip(bytes) : bytes);
}

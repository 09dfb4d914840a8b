// Where the bytes of blobs come from: an OCI layout on disk, memory, or (in registry/) a registry.
// Images keep base-layer descriptors only and fetch the bytes when a writer or the validator needs
// them, one blob at a time, so a large base image is never held in memory twice.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestHex, isDigest, sha256Digest } from './digest.ts';
import { OciError, invalid, ioError } from './errors.ts';
import type { Descriptor, Digest } from './types.ts';

export interface BlobSource {
  /**
   * The bytes with this digest: a layer, a config or a manifest/index. The descriptor, when
   * given, lets a registry source pick the manifests or the blobs endpoint. Rejects when absent.
   */
  get(digest: Digest, descriptor?: Descriptor): Promise<Uint8Array>;
}

// A source over bytes already in memory: a list (keyed by their own sha256) or a digest → bytes
// map (keys trusted, so a corrupt blob is caught by whoever verifies it, as on disk).
export function memoryBlobSource(blobs: Iterable<Uint8Array> | ReadonlyMap<string, Uint8Array>): BlobSource {
  const byDigest = new Map<string, Uint8Array>();
  if (blobs instanceof Map) for (const [digest, bytes] of blobs as ReadonlyMap<string, Uint8Array>) byDigest.set(digest, bytes);
  else for (const bytes of blobs as Iterable<Uint8Array>) byDigest.set(sha256Digest(bytes), bytes);
  return {
    get: async (digest) => {
      const bytes = byDigest.get(digest);
      if (!bytes) throw invalid(`blob ${digest} is not in memory`);
      return bytes;
    },
  };
}

// A source that has nothing (an image built from scratch never asks it).
export const EMPTY_SOURCE: BlobSource = {
  get: async (digest) => {
    throw invalid(`blob ${digest} is not available (the image has no base blob source)`);
  },
};

// Reads `DIR/blobs/sha256/<hex>` lazily; a missing file is OCI_INVALID, other failures OCI_IO.
export function layoutBlobSource(dir: string): BlobSource {
  return {
    get: async (digest) => {
      if (!isDigest(digest)) throw invalid(`"${digest}" is not a sha256 digest`);
      const path = join(dir, 'blobs', 'sha256', digestHex(digest));
      try {
        const buf = await readFile(path);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') throw invalid(`blob ${digest} is missing from ${dir}`, error);
        throw ioError(`read ${path}`, error);
      }
    },
  };
}

// Fetches the blob a descriptor names and checks its size (first) and digest, as the spec asks
// for content from anywhere we did not write ourselves.
export async function fetchVerified(source: BlobSource, descriptor: Descriptor): Promise<Uint8Array> {
  const bytes = await source.get(descriptor.digest, descriptor);
  if (bytes.byteLength !== descriptor.size) {
    throw new OciError('OCI_INVALID', `blob ${descriptor.digest} has ${bytes.byteLength} bytes, its descriptor says ${descriptor.size}`);
  }
  const actual = sha256Digest(bytes);
  if (actual !== descriptor.digest) throw invalid(`blob ${descriptor.digest} has the wrong content (its sha256 is ${actual})`);
  return bytes;
}

// Parses JSON bytes (a manifest, index or config), naming the blob in the error.
export function parseJsonBlob<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as T;
  } catch (error) {
    throw invalid(`${what} is not valid JSON (${(error as Error).message})`, error);
  }
}

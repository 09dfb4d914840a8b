// Content addresses: sha256 digests of bytes, in OCI's `sha256:<hex>` form.
import { createHash } from 'node:crypto';
import type { Digest } from './types.ts';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

// The digest of some bytes (or a string, as UTF-8).
export function sha256Digest(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

// True when the text is a well-formed sha256 digest.
export function isDigest(text: string): text is Digest {
  return DIGEST.test(text);
}

// The hex part of a digest (the file name under blobs/sha256/).
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

// Canonical JSON bytes for manifests, indexes and configs: the exact bytes that get hashed.
// Keys keep insertion order (the writers build objects in spec order), no whitespace.
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

// Layer compression with node:zlib, pinned so the same tar gives the same gzip bytes: fixed level,
// window and strategy, and a normalised RFC 1952 header (MTIME 0, XFL 0, OS 3 = Unix, no name),
// whatever the host OS. Caveat: the deflate stream itself is whatever the runtime's zlib emits.
// Node's bundled zlib is stable for a given Node release; Deno's node:zlib emits different (valid)
// streams, so the same layer built by Deno has another digest (its diff_id is the same).
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { invalid } from './errors.ts';

/** The zlib settings every layer is compressed with (zlib's defaults, written down). */
export const GZIP_OPTIONS = { level: 6, memLevel: 8, windowBits: 15, strategy: 0 } as const;

/** Bytes 0–9 of every gzip member we write: magic, deflate, no flags, MTIME 0, XFL 0, OS Unix. */
export const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03);

const gzipAsync = promisify(gzipCb);
const gunzipAsync = promisify(gunzipCb);

// Compresses without blocking the event loop; the result depends only on `data` (and zlib).
export async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const out = await gzipAsync(data, GZIP_OPTIONS);
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (bytes[3] !== 0) throw invalid('gzip: zlib wrote optional header fields (name/comment/extra); refusing a non-reproducible header');
  bytes.set(GZIP_HEADER, 0);
  return bytes;
}

// Decompresses one or more concatenated gzip members; corrupt input becomes an OCI_INVALID error.
export async function gunzip(data: Uint8Array): Promise<Uint8Array> {
  try {
    const out = await gunzipAsync(data);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw invalid(`gzip: cannot decompress (${(error as Error).message})`, error);
  }
}

// True when the bytes start with the gzip magic number.
export function isGzip(data: Uint8Array): boolean {
  return data.byteLength >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

// gzip output is pinned: a normalised 10-byte header, the same bytes for the same input, and
// GNU gzip reads it back.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GZIP_HEADER, gunzip, gzip, isGzip, OciError } from '../../scripts/src/oci/index.ts';
import { runOk, scratch } from './helpers.ts';

const data = new TextEncoder().encode('layer bytes '.repeat(10_000));
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await scratch('gzip')));
afterAll(async () => cleanup?.());

it('writes the normalised header: magic, deflate, no flags, MTIME 0, XFL 0, OS 3 (Unix)', async () => {
  const out = await gzip(data);
  expect([...out.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  expect([...GZIP_HEADER]).toEqual([...out.subarray(0, 10)]);
  expect(isGzip(out)).toBe(true);
});

it('is deterministic and independent of how zlib would stamp the header', async () => {
  const a = await gzip(data);
  const b = await gzip(data.slice());
  expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  // Same deflate stream as zlib's level 6; only header bytes 4–9 may differ.
  const plain = gzipSync(data, { level: 6 });
  expect(Buffer.from(a.subarray(10)).equals(plain.subarray(10))).toBe(true);
});

it('round-trips through GNU gzip, which finds no stored name', async () => {
  const path = join(dir, 'x.gz');
  await writeFile(path, await gzip(data));
  expect(await runOk('gzip', ['-t', path])).toBe('');
  const listing = await runOk('gzip', ['-lvN', path]);
  // With -N gzip shows the stored name and time; none are stored, so it falls back to the file's own.
  expect(listing.trim().split('\n')[1]).toMatch(new RegExp(`^defla [0-9a-f]{8} .* 120000 .*% ${path.slice(0, -3)}$`));
  expect(Buffer.from(await gunzip(await gzip(data))).equals(Buffer.from(data))).toBe(true);
});

it('reports corrupt input as OCI_INVALID', async () => {
  const bad = await gzip(data);
  bad[bad.byteLength - 5]! ^= 0xff; // inside the CRC32/ISIZE trailer
  await expect(gunzip(bad)).rejects.toThrow(OciError);
});

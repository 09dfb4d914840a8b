// The tar writer against GNU tar's own reading of the bytes, plus our reader on both our archives
// and GNU tar's (PAX and GNU long names).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciError, readTar, writeTar, type TarEntry } from '../../scripts/src/oci/index.ts';
import { runOk, scratch } from './helpers.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const LONG = `usr/share/${'deep-directory-name/'.repeat(6)}a-file-whose-path-is-longer-than-one-hundred-bytes.txt`;

const ENTRIES: TarEntry[] = [
  { type: 'file', path: '/app/server', data: bytes('#!binary\n'), mode: 0o755, uid: 65532, gid: 65532 },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'symlink', path: 'etc/ssl/cert.pem', target: 'certs/ca-certificates.crt' },
  { type: 'file', path: 'etc/ssl/certs/ca-certificates.crt', data: bytes('PEM'.repeat(300)) },
  { type: 'file', path: LONG, data: bytes('long\n') },
  { type: 'file', path: 'etc/motd-ünïcode', data: new Uint8Array(0) },
];

let dir: string;
let cleanup: () => Promise<void>;
let layerTar: string; // ENTRIES written by writeTar, listed and extracted by the tests below
beforeAll(async () => {
  ({ dir, cleanup } = await scratch('tar'));
  layerTar = join(dir, 'layer.tar');
  await writeFile(layerTar, writeTar(ENTRIES, { epoch: 1_700_000_000 }));
});
afterAll(async () => cleanup?.());

describe('writeTar', () => {
  it('is listed by GNU tar exactly as intended: sorted, parents added, fixed mtime, numeric ids, no names', async () => {
    const path = layerTar;
    const listing = await runOk('tar', ['--numeric-owner', '--utc', '-tvf', path], { env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    const lines = listing
      .trim()
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' '));
    expect(lines).toEqual([
      'drwxr-xr-x 0/0 0 2023-11-14 22:13 app/',
      '-rwxr-xr-x 65532/65532 9 2023-11-14 22:13 app/server',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13 etc/',
      '-rw-r--r-- 0/0 0 2023-11-14 22:13 etc/motd-ünïcode',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13 etc/ssl/',
      'lrwxrwxrwx 0/0 0 2023-11-14 22:13 etc/ssl/cert.pem -> certs/ca-certificates.crt',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13 etc/ssl/certs/',
      '-rw-r--r-- 0/0 900 2023-11-14 22:13 etc/ssl/certs/ca-certificates.crt',
      'drwxrwxrwt 0/0 0 2023-11-14 22:13 tmp/',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13 usr/',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13 usr/share/',
      ...Array.from({ length: 6 }, (_, i) => `drwxr-xr-x 0/0 0 2023-11-14 22:13 usr/share/${'deep-directory-name/'.repeat(i + 1)}`),
      `-rw-r--r-- 0/0 5 2023-11-14 22:13 ${LONG}`,
    ]);
    // uname/gname are empty: GNU tar without --numeric-owner falls back to the ids.
    const named = await runOk('tar', ['-tvf', path]);
    expect(named).toContain(' 65532/65532 ');
    expect(named).toContain(' 0/0 ');
  });

  it('GNU tar extracts what it lists (content, modes, symlinks, PAX long names)', async () => {
    const out = join(dir, 'x');
    await runOk('mkdir', ['-p', out]);
    await runOk('tar', ['-xf', layerTar, '-C', out]);
    expect(await runOk('cat', [join(out, LONG)])).toBe('long\n');
    expect((await runOk('stat', ['-c', '%a %F', join(out, 'tmp'), join(out, 'app/server')])).trim().split('\n')).toEqual([
      '1777 directory',
      '755 regular file',
    ]);
    expect((await runOk('readlink', [join(out, 'etc/ssl/cert.pem')])).trim()).toBe('certs/ca-certificates.crt');
  });

  it('is byte-identical for the same entries in any order, and only the epoch moves mtimes', () => {
    const a = writeTar(ENTRIES, { epoch: 0 });
    const b = writeTar([...ENTRIES].reverse(), { epoch: 0 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.byteLength % 512).toBe(0);
    expect(readTar(writeTar(ENTRIES, { epoch: 42 })).every((e) => e.mtime === 42)).toBe(true);
  });

  it('refuses duplicates, "..", files used as directories and negative epochs', () => {
    const f = (path: string): TarEntry => ({ type: 'file', path, data: new Uint8Array() });
    expect(() => writeTar([f('a'), f('/a')], { epoch: 0 })).toThrow(/listed twice/);
    expect(() => writeTar([f('a/../b')], { epoch: 0 })).toThrow(OciError);
    expect(() => writeTar([f('a'), f('a/b')], { epoch: 0 })).toThrow(/"a" is a file but "a\/b" is inside it/);
    expect(() => writeTar([f('a')], { epoch: -1 })).toThrow(/mtime/);
  });
});

describe('readTar', () => {
  it('reads back our archives: types, modes, ids, link targets, long and non-ASCII names', () => {
    const entries = readTar(writeTar(ENTRIES, { epoch: 7 }));
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(entries.map((e) => e.path)).toEqual([...entries.map((e) => e.path)].sort());
    expect(byPath.get('app/server')).toMatchObject({ type: 'file', mode: 0o755, uid: 65532, gid: 65532, uname: '', size: 9 });
    expect(new TextDecoder().decode(byPath.get('app/server')!.data)).toBe('#!binary\n');
    expect(byPath.get('tmp')).toMatchObject({ type: 'dir', mode: 0o1777 });
    expect(byPath.get('etc/ssl/cert.pem')).toMatchObject({ type: 'symlink', linkname: 'certs/ca-certificates.crt' });
    expect(byPath.get(LONG)?.size).toBe(5);
    expect(byPath.has('etc/motd-ünïcode')).toBe(true);
  });

  it('reads GNU tar archives in gnu and posix formats', async () => {
    const src = join(dir, 'src');
    await runOk('mkdir', ['-p', join(src, 'd')]);
    await writeFile(join(src, 'd', 'x'.repeat(150)), 'gnu');
    for (const format of ['gnu', 'posix']) {
      const archive = join(dir, `${format}.tar`);
      await runOk('tar', ['--format', format, '-cf', archive, '-C', src, 'd']);
      const entries = readTar(new Uint8Array(await readFile(archive)));
      expect(entries.map((e) => e.path)).toEqual(['d', `d/${'x'.repeat(150)}`]);
      expect(new TextDecoder().decode(entries[1]!.data)).toBe('gnu');
    }
  });

  it('rejects a corrupted header', () => {
    const tar = writeTar(ENTRIES, { epoch: 0 });
    tar[10]! ^= 0xff;
    expect(() => readTar(tar)).toThrow(/bad header checksum/);
  });
});

// Library resolution on real Debian programs: the loader's search order, ld.so.cache, closures.
import { describe, expect, test } from 'vitest';
import { readElfFile } from '../../../scripts/src/elf/index.ts';
import { parseLdCache, readLdCache, readLdConf } from '../../../scripts/src/core/bundle/ld-cache.ts';
import { resolveClosure } from '../../../scripts/src/core/bundle/resolve.ts';
import { candidates, expandTokens, type LoadedObject } from '../../../scripts/src/core/bundle/search.ts';
import { walkPath } from '../../../scripts/src/core/bundle/host-path.ts';

const sys = async () => ({ ldLibraryPath: ['/opt/llp'], cache: await readLdCache(), confDirs: await readLdConf() });

describe('ld.so.cache and ld.so.conf', () => {
  test('the cache maps libc.so.6 to the multiarch copy; junk gives an empty map', async () => {
    const cache = await readLdCache();
    expect(cache.get('libc.so.6')).toContain('/lib/x86_64-linux-gnu/libc.so.6');
    expect(parseLdCache(new Uint8Array(100)).size).toBe(0);
  });
  test('ld.so.conf includes are followed', async () => {
    expect(await readLdConf()).toContain('/usr/lib/x86_64-linux-gnu');
  });
});

describe('search order', () => {
  const object = async (rpath: string[], runpath: string[], loader?: LoadedObject): Promise<LoadedObject> => {
    const { elf } = await readElfFile('/usr/bin/jq');
    return { path: '/app/bin/x', origin: '/app/bin', elf: { ...elf, dynamic: { ...elf.dynamic!, rpath, runpath } }, ...(loader ? { loader } : {}) };
  };
  test('RPATH (own, then loader) → LD_LIBRARY_PATH → cache → default dirs; $ORIGIN expanded', async () => {
    const exe = await object(['$ORIGIN/../exe-lib'], []);
    const lib = await object(['/rp'], [], exe);
    const c = candidates('libc.so.6', lib, await sys());
    expect(c.slice(0, 3).map((x) => x.path)).toEqual(['/rp/libc.so.6', '/app/exe-lib/libc.so.6', '/opt/llp/libc.so.6']);
    expect(c.find((x) => x.via === 'ld.so.cache')?.path).toBe('/lib/x86_64-linux-gnu/libc.so.6');
    expect(c.at(-1)?.via).toBe('default dirs');
  });
  test('a RUNPATH disables RPATH and comes after LD_LIBRARY_PATH', async () => {
    const lib = await object(['/rp'], ['${ORIGIN}/rp2', '/$LIB']);
    const c = candidates('libz.so.1', lib, await sys());
    expect(c.slice(0, 3).map((x) => x.path)).toEqual(['/opt/llp/libz.so.1', '/app/bin/rp2/libz.so.1', '/lib/x86_64-linux-gnu/libz.so.1']);
    expect(expandTokens('$PLATFORM', lib)).toBe('x86_64');
  });
});

describe('closure', () => {
  test('jq: interpreter, libjq and libonig through their symlinks, libc once', async () => {
    const c = await resolveClosure(['/usr/bin/jq'], await sys());
    expect(c.files).toEqual(expect.arrayContaining(['/usr/bin/jq', '/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/libjq.so.1', '/lib/x86_64-linux-gnu/libonig.so.5', '/lib/x86_64-linux-gnu/libc.so.6']));
    expect(new Set(c.files).size).toBe(c.files.length);
    expect(c.resolved.find((r) => r.name === 'libonig.so.5')?.by).toBe('/lib/x86_64-linux-gnu/libjq.so.1');
  });
  test('two executables share one closure; NSS modules resolve like dlopen and absent ones are skipped', async () => {
    const c = await resolveClosure(['/usr/bin/jq', '/usr/bin/sqlite3'], await sys(), ['libnss_files.so.2', 'libnss_nonexistent.so.2']);
    expect(c.files.filter((f) => f.endsWith('/libc.so.6'))).toHaveLength(1);
    expect(c.files).toContain('/lib/x86_64-linux-gnu/libsqlite3.so.0');
    expect(c.files).toContain('/lib/x86_64-linux-gnu/libnss_files.so.2');
  });
  test('the interpreter keeps its chain: /lib64 → usr/lib64, then the loader link', async () => {
    const w = await walkPath('/lib64/ld-linux-x86-64.so.2');
    expect(w.links[0]).toEqual({ path: '/lib64', target: 'usr/lib64' });
    expect(w.real).toBe('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
  });
});

// The LD_PRELOAD mimalloc libraries, built for real with Debian's glibc cross gcc (and the musl
// wrapper): right ELF machine, the allocator exported, cached, reproducible — and observed in use
// by a multi-threaded dynamic program, natively on amd64 and under qemu-user on arm64.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { symbolNames } from '../../../scripts/src/elf/index.ts';
import { PLATFORMS, parsePlatform } from '../../../scripts/src/core/platform.ts';
import { MIMALLOC_SYS_VERSION, mimallocSources } from '../../../scripts/src/core/toolchain/mimalloc.ts';
import { buildSharedMimalloc, checkSharedMimalloc, mimallocSharedArgs, mimallocVersion, PRELOAD_EXPORTS, type SharedMimalloc } from '../../../scripts/src/core/toolchain/mimalloc-shared.ts';
import { compileMallocProbe, runProbe, type ProbeTarget } from '../../helpers/malloc-probe.ts';

const work = mkdtempSync(join(tmpdir(), 'bs-mimalloc-shared-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const built = new Map<string, SharedMimalloc>();
let version = '';
beforeAll(async () => {
  version = await mimallocVersion(await mimallocSources(process.env.CARGO ?? 'cargo'));
  for (const platform of PLATFORMS) {
    for (const flavor of ['mimalloc', 'mimalloc-secure'] as const) built.set(`${platform.arch}/${flavor}`, await buildSharedMimalloc(platform, flavor));
  }
  built.set('musl/mimalloc', await buildSharedMimalloc(parsePlatform('linux/amd64'), 'mimalloc', { libc: 'musl' }));
});

describe('mimallocSharedArgs', () => {
  test('compiles like CMake\'s shared override target, secure and musl only where asked', () => {
    const glibc = mimallocSharedArgs('cc', '/src', 'mimalloc', 'glibc', 'libmimalloc.so.3', '/out/libmimalloc.so');
    for (const flag of ['-fPIC', '-shared', '-DMI_MALLOC_OVERRIDE', '-DMI_SHARED_LIB', '-DMI_SHARED_LIB_EXPORT', '-fvisibility=hidden', '-ftls-model=initial-exec', '-fno-builtin-malloc', '-O3', '-DNDEBUG', '-Wl,-soname,libmimalloc.so.3']) expect(glibc).toContain(flag);
    expect(glibc.some((a) => a.startsWith('-march'))).toBe(false);
    expect(glibc).not.toContain('-DMI_SECURE=4');
    expect(glibc).not.toContain('-DMI_LIBC_MUSL=1');
    expect(mimallocSharedArgs('cc', '/src', 'mimalloc-secure', 'glibc', 's', 'o')).toContain('-DMI_SECURE=4');
    expect(mimallocSharedArgs('cc', '/src', 'mimalloc', 'musl', 's', 'o')).toContain('-DMI_LIBC_MUSL=1');
  });
});

describe('buildSharedMimalloc', () => {
  test('each library is a shared object for its platform exporting the allocator', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const [key, lib] of built) {
      const platform = key.startsWith('arm64') ? PLATFORMS[1]! : PLATFORMS[0]!;
      expect(lib.elf.machine, key).toBe(platform.elfMachine);
      expect(lib.elf.type, key).toBe('DYN');
      expect(lib.elf.interpreter, key).toBeUndefined();
      expect(lib.elf.dynamic?.soname, key).toBe(`${lib.fileName}.${version.split('.')[0]}`);
      const exported = symbolNames(lib.elf.dynamicSymbols, 'defined');
      for (const s of [...PRELOAD_EXPORTS, 'mi_malloc', '__libc_malloc']) expect(exported.has(s), `${key} exports ${s}`).toBe(true);
      // Internal functions stay hidden (-fvisibility=hidden): only the API and the override leave.
      expect(exported.has('_mi_os_alloc'), key).toBe(false);
      expect(lib.elf.dynamic?.needed, key).toEqual(key.startsWith('musl') ? ['libc.so'] : ['libc.so.6']);
    }
    expect(built.get('amd64/mimalloc-secure')!.fileName).toBe('libmimalloc-secure.so');
  });

  test('the ELF check refuses a library for the other platform or libc', () => {
    const amd64 = built.get('amd64/mimalloc')!;
    expect(() => checkSharedMimalloc(amd64.elf, amd64.path, PLATFORMS[1]!, 'glibc')).toThrow(/not a usable LD_PRELOAD mimalloc for linux\/arm64: it is a x86_64 ELF, not aarch64/);
    expect(() => checkSharedMimalloc(amd64.elf, amd64.path, PLATFORMS[0]!, 'musl')).toThrow(/it needs libc\.so\.6 besides musl's libc/);
  });

  test('a second call is a cache hit: same file, not rebuilt', async () => {
    const first = built.get('arm64/mimalloc')!;
    const before = statSync(first.path).mtimeMs;
    const again = await buildSharedMimalloc(PLATFORMS[1]!, 'mimalloc');
    expect(again.path).toBe(first.path);
    expect(statSync(again.path).mtimeMs).toBe(before);
  });

  test('a rebuild from the same sources in another cache gives the same bytes', async () => {
    const cache = join(work, 'cache');
    mkdirSync(join(cache, 'mimalloc'), { recursive: true });
    const real = join(built.get('amd64/mimalloc')!.sources, '..', '..', '..');
    symlinkSync(real, join(cache, 'mimalloc', `libmimalloc-sys-${MIMALLOC_SYS_VERSION}`));
    const fresh = await buildSharedMimalloc(PLATFORMS[0]!, 'mimalloc', { env: { ...process.env, BUILD_STATIC_CACHE: cache } });
    expect(fresh.path.startsWith(cache)).toBe(true);
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(sha(fresh.path)).toBe(sha(built.get('amd64/mimalloc')!.path));
  }, 180_000);
});

describe('the library is used by a dynamic program through LD_PRELOAD', () => {
  const cases: Array<{ target: ProbeTarget; key: string; secure: boolean }> = [
    { target: 'amd64', key: 'amd64/mimalloc', secure: false },
    { target: 'amd64', key: 'amd64/mimalloc-secure', secure: true },
    { target: 'arm64', key: 'arm64/mimalloc', secure: false },
    { target: 'arm64', key: 'arm64/mimalloc-secure', secure: true },
    { target: 'musl', key: 'musl/mimalloc', secure: false },
  ];
  for (const c of cases) {
    test(`${c.key} in a ${c.target} program`, () => {
      const dir = join(work, c.key.replace('/', '-'));
      mkdirSync(dir, { recursive: true });
      const exe = compileMallocProbe(dir, c.target);
      const plain = runProbe(exe, c.target, { MIMALLOC_VERBOSE: '1' });
      expect(plain.code).toBe(0);
      expect(plain.stdout.trim()).toBe('mi_version=0');
      expect(plain.stderr).not.toMatch(/mimalloc/);
      const lib = built.get(c.key)!;
      const preloaded = runProbe(exe, c.target, { LD_PRELOAD: lib.path, MIMALLOC_VERBOSE: '1' });
      expect(preloaded.stderr).toMatch(/mimalloc: process init/);
      expect(preloaded.stderr).toContain(`v${version}, release`);
      expect(preloaded.stderr).toMatch(c.secure ? /secure level: 4/ : /secure level: 0/);
      expect(preloaded.code).toBe(0);
      expect(preloaded.stdout.trim()).toBe(`mi_version=${version.split('.').map((n, i) => (i === 0 ? n : n.padStart(2, '0'))).join('')}`);
    }, 120_000);
  }
});

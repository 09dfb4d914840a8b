// --preload's checks on real ELF files compiled here: which libc a loader belongs to, what a given
// .so must be, and what `mimalloc` resolves to for a glibc and a musl executable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loaderLibc, preloadValue, resolvePreloads } from '../../../scripts/src/core/bundle/preload.ts';
import { readElf } from '../../../scripts/src/core/bundle/resolve.ts';
import { compileMallocProbe } from '../../helpers/malloc-probe.ts';

const dir = mkdtempSync(join(tmpdir(), 'bs-preload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exe = async (path: string) => [{ path, elf: await readElf(path) }];
let glibcExe: string;
let muslExe: string;
let glibcSo: string;
let muslSo: string;
beforeAll(() => {
  glibcExe = compileMallocProbe(dir, 'amd64');
  muslExe = compileMallocProbe(dir, 'musl');
  writeFileSync(join(dir, 'hook.c'), '#include <unistd.h>\n__attribute__((constructor)) static void hook(void) { write(1, "hooked\\n", 7); }\n');
  glibcSo = join(dir, 'libhook.so');
  muslSo = join(dir, 'libhook-musl.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-o', glibcSo, join(dir, 'hook.c')]);
  execFileSync('musl-gcc', ['-shared', '-fPIC', '-o', muslSo, join(dir, 'hook.c')]);
});

describe('loaderLibc', () => {
  test('names glibc and musl loaders of every architecture, nothing else', () => {
    expect(['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1', '/lib/ld-linux-armhf.so.3', '/lib/ld-linux.so.2', '/lib64/ld64.so.2'].map(loaderLibc)).toEqual(['glibc', 'glibc', 'glibc', 'glibc', 'glibc']);
    expect(['/lib/ld-musl-x86_64.so.1', '/lib/ld-musl-aarch64.so.1'].map(loaderLibc)).toEqual(['musl', 'musl']);
    expect(loaderLibc('/system/bin/linker64')).toBeUndefined();
    expect(loaderLibc('/lib/ld-musl-x86_64.so.1.bak')).toBeUndefined();
  });
});

describe('resolvePreloads', () => {
  test('mimalloc resolves to the build for the executable\'s libc, at /usr/lib/mimalloc', async () => {
    const [g] = await resolvePreloads(['mimalloc'], await exe(glibcExe), process.env);
    const [m] = await resolvePreloads(['mimalloc-secure'], await exe(muslExe), process.env);
    expect(g).toMatchObject({ spec: 'mimalloc', at: '/usr/lib/mimalloc/libmimalloc.so', built: true });
    expect(g!.source).toMatch(/\/mimalloc\/shared\/linux-amd64-glibc\//);
    expect(m).toMatchObject({ at: '/usr/lib/mimalloc/libmimalloc-secure.so', built: true });
    expect(m!.source).toMatch(/\/mimalloc\/shared\/linux-amd64-musl\//);
    expect((await readElf(m!.source)).dynamic?.needed).toEqual(['libc.so']);
  }, 180_000);

  test('a path keeps its host path, in the order given; duplicates collapse', async () => {
    const list = await resolvePreloads([glibcSo, 'mimalloc', glibcSo], await exe(glibcExe), process.env);
    expect(list.map((p) => p.at)).toEqual([glibcSo, '/usr/lib/mimalloc/libmimalloc.so']);
    expect(preloadValue(list)).toBe(`${glibcSo}:/usr/lib/mimalloc/libmimalloc.so`);
    expect(await resolvePreloads([], await exe('/usr/bin/jq'), process.env)).toEqual([]);
  }, 180_000);

  test('refuses what cannot be preloaded into the executables', async () => {
    await expect(resolvePreloads([muslSo], await exe(glibcExe), process.env)).rejects.toThrow(/needs libc\.so, another C library than the executables' glibc/);
    await expect(resolvePreloads([glibcSo], await exe(muslExe), process.env)).rejects.toThrow(/needs libc\.so\.6, another C library than the executables' musl/);
    await expect(resolvePreloads(['mimalloc'], [...(await exe(glibcExe)), ...(await exe(muslExe))], process.env)).rejects.toThrow(/executables of one C library: .* is musl, the others glibc/);
    await expect(resolvePreloads(['mimalloc'], await exe(glibcSo), process.env)).rejects.toThrow(/libhook\.so is a shared library \(no ELF interpreter\)/);
    await expect(resolvePreloads(['jemalloc'], await exe(glibcExe), process.env)).rejects.toMatchObject({ code: 'USAGE' });
  });
});

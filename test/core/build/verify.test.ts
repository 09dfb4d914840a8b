// verifyExecutable and checkAllocator on real binaries compiled by the ELF fixture builder:
// the checks `build` applies to every output, including every way they must fail.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AllocatorDecision } from '../../../scripts/src/core/build/allocator.ts';
import { checkAllocator, verifyExecutable, type VerifiedExecutable } from '../../../scripts/src/core/build/verify.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';
import { buildFixtures, type Fixtures } from '../../elf/fixtures.ts';

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');
let fx: Fixtures;

beforeAll(() => {
  fx = buildFixtures(['musl-static-stripped', 'musl-static-pie', 'aarch64-musl-static-stripped', 'gnu-dynamic', 'glibc-mallopt', 'musl-threads-static', 'mimalloc-strings-stripped']);
});
afterAll(() => fx.cleanup());

describe('verifyExecutable', () => {
  test.each([
    ['musl-static-stripped', amd64, 'static'],
    ['musl-static-pie', amd64, 'static-pie'],
    ['aarch64-musl-static-stripped', arm64, 'static'],
  ] as const)('%s passes for %s as %s', (name, platform, linkage) => {
    const exe = verifyExecutable(fx.bytes(name), platform, 'app');
    expect(exe.linkage).toBe(linkage);
    expect(exe.machine).toBe(platform.elfMachineName);
    expect(exe.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(exe.size).toBe(fx.bytes(name).byteLength);
  });

  test('a binary for the other machine is refused', () => {
    expect(() => verifyExecutable(fx.bytes('aarch64-musl-static-stripped'), amd64, 'app')).toThrow(
      'app for linux/amd64 is not a static x86_64 executable: machine is aarch64, expected x86_64',
    );
  });

  test('a dynamic glibc binary is refused with every reason', () => {
    let error: unknown;
    try {
      verifyExecutable(fx.bytes('glibc-mallopt'), amd64, 'app');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'VERIFY_FAILED' });
    const message = (error as Error).message;
    expect(message).toMatch(/has a dynamic loader \(PT_INTERP \/lib64\/ld-linux-x86-64\.so\.2\)/);
    expect(message).toMatch(/needs shared libraries \(DT_NEEDED libc\.so\.6\)/);
    expect(message).toMatch(/needs glibc symbol versions GLIBC_2\.\d+/);
  });
});

describe('checkAllocator', () => {
  const verified = (name: 'musl-threads-static' | 'mimalloc-strings-stripped' | 'musl-static-stripped'): VerifiedExecutable => verifyExecutable(fx.bytes(name), amd64, 'app');
  const byDefault: AllocatorDecision = { reason: 'default', inject: 'mimalloc', expected: 'mimalloc' };
  const system: AllocatorDecision = { reason: 'requested', expected: 'musl' };

  test('system: warns for a multi-threaded binary on musl malloc, naming the flag that fixes it', () => {
    const exe = verified('musl-threads-static');
    expect(exe.multiThreaded).toBe(true);
    expect(exe.allocator).toBe('musl');
    expect(checkAllocator(exe, system)).toEqual([
      'app for linux/amd64 is multi-threaded but uses musl\'s default malloc (allocator "system"), which serialises threads (6-20x slower under load): use --allocator mimalloc, or drop allocator = "system"',
    ]);
  });

  test('system: no warning for a single-threaded binary; default: none for mimalloc', () => {
    expect(checkAllocator(verified('musl-static-stripped'), system)).toEqual([]);
    expect(checkAllocator(verified('mimalloc-strings-stripped'), byDefault)).toEqual([]);
  });

  test('default mimalloc not linked in: ALLOCATOR_MISMATCH naming the opt-out', () => {
    expect(() => checkAllocator(verified('musl-threads-static'), byDefault)).toThrow(/uses musl.s default malloc, but build-static links mimalloc by default and it was not linked in: .*--allocator system/);
  });

  test('mimalloc required but musl linked: ALLOCATOR_MISMATCH', () => {
    expect(() => checkAllocator(verified('musl-threads-static'), { ...byDefault, reason: 'requested' })).toThrow(/uses musl.s default malloc, but allocator "mimalloc" was requested and it was not linked in/);
  });

  test('system requested but the crate brings mimalloc: ALLOCATOR_MISMATCH', () => {
    expect(() => checkAllocator(verified('mimalloc-strings-stripped'), system)).toThrow(/links mimalloc through its own #\[global_allocator\], but allocator "system" was requested/);
  });

  test('a crate allocator that does not show in the binary, or a default that could not apply: a warning', () => {
    expect(checkAllocator(verified('musl-static-stripped'), { reason: 'crate', crate: 'tikv-jemallocator', expected: 'jemalloc' })).toEqual([
      "app for linux/amd64 depends on tikv-jemallocator but uses musl's default malloc: set it as #[global_allocator], or remove the dependency to get mimalloc by default",
    ]);
    expect(checkAllocator(verified('musl-static-stripped'), { reason: 'default', expected: 'musl', note: 'why' })).toEqual(["app for linux/amd64 uses musl's default malloc: why"]);
  });
});

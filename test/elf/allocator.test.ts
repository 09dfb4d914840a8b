import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { ALLOCATOR_MARKERS, detectAllocator, parseElf, type AllocatorName } from '../../scripts/src/elf/index.ts';
import { buildFixtures, requireTool, type FixtureName, type Fixtures } from './fixtures.ts';

const MATRIX: [FixtureName, AllocatorName, RegExp][] = [
  ['gnu-dynamic', 'glibc', /DT_NEEDED libc\.so\.6/],
  ['gnu-dynamic-stripped', 'glibc', /DT_NEEDED libc\.so\.6/],
  ['aarch64-gnu-dynamic', 'glibc', /DT_NEEDED libc\.so\.6/],
  ['glibc-mallopt', 'glibc', /imports .*mallopt/],
  ['glibc-static', 'glibc', /symbol (_int_malloc|malloc_consolidate|sysmalloc)/],
  ['glibc-static-stripped', 'glibc', /string "malloc\(\): corrupted top size" in \.rodata/],
  ['musl-static', 'musl', /symbol __init_libc/],
  ['musl-static-stripped', 'musl', /string "No error information" in \.rodata/],
  ['musl-static-pie', 'musl', /string "-0X\+0X 0X-0x\+0x 0x"/],
  ['aarch64-musl-static-stripped', 'musl', /string "No error information"/],
  ['musl-nop-stripped', 'musl', /^fallback: static binary with no glibc, mimalloc or jemalloc markers/],
  ['mimalloc-strings-stripped', 'mimalloc', /string "environment option mimalloc_" in \.rodata/],
  ['mimalloc-dynamic', 'mimalloc', /DT_NEEDED libmimalloc\.so\.2/],
  ['jemalloc-dynamic', 'jemalloc', /DT_NEEDED libjemalloc\.so\.2/],
];

let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures([...MATRIX.map(([n]) => n), 'mentions-mimalloc-stripped']);
});
afterAll(() => fx?.cleanup());

const detect = (name: FixtureName) => {
  const bytes = fx.bytes(name);
  return detectAllocator(bytes, parseElf(bytes));
};

describe('detectAllocator', () => {
  test.each(MATRIX)('%s uses %s', (name, allocator, evidence) => {
    const got = detect(name);
    expect(got.allocator).toBe(allocator);
    expect(got.evidence.some((e) => evidence.test(e)), got.evidence.join(' | ')).toBe(true);
  });

  it('a replacement allocator wins over the libc markers that are still linked', () => {
    const got = detect('mimalloc-strings-stripped');
    expect(got.evidence.filter((e) => e.startsWith('string "mimalloc')).length).toBe(2);
    expect(got.evidence.some((e) => /^also musl: /.test(e))).toBe(true);
  });

  it('one mention of mimalloc in program text is not enough', () => {
    const got = detect('mentions-mimalloc-stripped');
    expect(got.allocator).toBe('musl');
    expect(got.evidence.join(' | ')).toMatch(/mimalloc/);
  });

  it('a glibc dynamic binary is never reported as musl', () => {
    expect(detect('gnu-dynamic').evidence.join(' ')).not.toMatch(/musl/);
  });

  it('recognises jemalloc statically linked into a real Rust program (rustup rustc)', () => {
    requireTool('rustc');
    const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
    const rustc = join(sysroot, 'bin', 'rustc');
    expect(existsSync(rustc), `expected the real rustc binary at ${rustc}`).toBe(true);
    const bytes = new Uint8Array(readFileSync(rustc));
    const got = detectAllocator(bytes, parseElf(bytes));
    expect(got.allocator, `rustup's rustc links jemalloc; got ${JSON.stringify(got)}`).toBe('jemalloc');
    expect(got.evidence).toContain('string "<jemalloc>:" in .rodata');
  });

  it('exposes its marker table with a threshold per family', () => {
    expect(ALLOCATOR_MARKERS.mimalloc.need).toBe(2);
    expect(ALLOCATOR_MARKERS.musl.markers).toContain('No error information');
  });
});

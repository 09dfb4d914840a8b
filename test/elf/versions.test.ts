import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { compareVersions, glibcFloor, glibcVersionNeeds, parseElf, parseGlibcVersion } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
const NAMES: FixtureName[] = ['gnu-dynamic', 'gnu-dynamic-stripped', 'aarch64-gnu-dynamic', 'glibc-mallopt', 'glibc-threads', 'musl-static', 'musl-static-pie', 'glibc-static'];
beforeAll(() => {
  fx = buildFixtures(NAMES);
});
afterAll(() => fx?.cleanup());

// readelf -V: "  0x0000: Version: 1  File: libc.so.6  Cnt: 2" then "  0x0010:   Name: GLIBC_2.34  Flags: ..."
function readelfNeeds(file: string): { file: string; versions: string[] }[] {
  const out: { file: string; versions: string[] }[] = [];
  const text = readelf(['-V'], file);
  const start = text.indexOf("Version needs section '.gnu.version_r'");
  if (start === -1) return out;
  for (const line of text.slice(start).split('\n')) {
    const f = /File: (\S+)/.exec(line);
    if (f) out.push({ file: f[1]!, versions: [] });
    const n = /Name: (\S+)/.exec(line);
    if (n) out.at(-1)!.versions.push(n[1]!);
  }
  return out;
}

describe('version needs', () => {
  test.each(NAMES)('%s: .gnu.version_r matches readelf -V', (name) => {
    expect(parseElf(fx.bytes(name)).versionNeeds).toEqual(readelfNeeds(fx.path(name)));
  });

  it('a dynamic glibc program needs GLIBC versions from libc.so.6', () => {
    const elf = parseElf(fx.bytes('glibc-mallopt'));
    expect(elf.versionNeeds.map((n) => n.file)).toContain('libc.so.6');
    const needs = glibcVersionNeeds(elf);
    expect(needs.length).toBeGreaterThan(0);
    expect(glibcFloor(elf)).toBe(needs.at(-1));
  });

  test.each<FixtureName>(['musl-static', 'musl-static-pie', 'glibc-static'])('%s needs no glibc symbol versions', (name) => {
    const elf = parseElf(fx.bytes(name));
    expect(glibcVersionNeeds(elf)).toEqual([]);
    expect(glibcFloor(elf)).toBeUndefined();
  });
});

describe('glibc version arithmetic', () => {
  const fake = (versions: string[]) => ({ versionNeeds: [{ file: 'libc.so.6', versions }, { file: 'libm.so.6', versions: ['GLIBC_2.29'] }] });

  it('compares numerically, not as strings', () => {
    const elf = fake(['GLIBC_2.2.5', 'GLIBC_2.34', 'GLIBC_2.5', 'GLIBC_PRIVATE', 'GCC_3.0']);
    expect(glibcVersionNeeds(elf)).toEqual(['GLIBC_2.2.5', 'GLIBC_2.5', 'GLIBC_2.29', 'GLIBC_2.34']);
    expect(glibcFloor(elf)).toBe('GLIBC_2.34');
  });

  it('deduplicates versions needed from several libraries', () => {
    expect(glibcVersionNeeds(fake(['GLIBC_2.29', 'GLIBC_2.17']))).toEqual(['GLIBC_2.17', 'GLIBC_2.29']);
  });

  test.each([
    ['GLIBC_2.34', [2, 34]],
    ['GLIBC_2.2.5', [2, 2, 5]],
    ['GLIBC_PRIVATE', undefined],
    ['GCC_3.0', undefined],
  ])('parseGlibcVersion(%s)', (name, parts) => {
    expect(parseGlibcVersion(name)).toEqual(parts);
  });

  it('orders versions component-wise', () => {
    expect(compareVersions([2, 34], [2, 5])).toBeGreaterThan(0);
    expect(compareVersions([2, 2, 5], [2, 3])).toBeLessThan(0);
    expect(compareVersions([2, 17], [2, 17, 0])).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { SHT, findSection, parseElf, sectionData } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
const NAMES: FixtureName[] = ['gnu-dynamic', 'gnu-dynamic-stripped', 'musl-static', 'aarch64-musl-static', 'i386-shared'];
beforeAll(() => {
  fx = buildFixtures(NAMES);
});
afterAll(() => fx?.cleanup());

// "  [ 1] .interp  PROGBITS  00..  000318 00001c ..." → name, offset, size
function readelfSections(file: string): { name: string; offset: number; size: number }[] {
  return readelf(['-S'], file)
    .split('\n')
    .map((l) => /^\s+\[\s*(\d+)\]\s+(\S*)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] === '0' ? '' : m[2]!, offset: parseInt(m[3]!, 16), size: parseInt(m[4]!, 16) }));
}

describe('section headers', () => {
  test.each(NAMES)('%s: names, offsets and sizes match readelf -S', (name) => {
    const elf = parseElf(fx.bytes(name));
    const got = elf.sections.map((s) => ({ name: s.name, offset: s.offset, size: s.size }));
    const expected = readelfSections(fx.path(name));
    expect(expected.length).toBeGreaterThan(5);
    expect(got).toEqual(expected);
  });

  it('finds sections by name and returns their bytes', () => {
    const bytes = fx.bytes('gnu-dynamic');
    const elf = parseElf(bytes);
    const interp = findSection(elf.sections, '.interp')!;
    expect(new TextDecoder().decode(sectionData(bytes, interp))).toBe('/lib64/ld-linux-x86-64.so.2\0');
    expect(findSection(elf.sections, '.does-not-exist')).toBeUndefined();
    const bss = findSection(elf.sections, '.bss')!;
    expect(bss.type).toBe(SHT.NOBITS);
    expect(sectionData(bytes, bss).length).toBe(0);
  });

  test.each<[FixtureName, boolean]>([
    ['gnu-dynamic', false],
    ['gnu-dynamic-stripped', true],
    ['musl-static', false],
  ])('%s: stripped = %s (no .symtab)', (name, stripped) => {
    expect(parseElf(fx.bytes(name)).stripped).toBe(stripped);
  });
});

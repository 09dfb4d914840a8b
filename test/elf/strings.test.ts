import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRegions, findMarkers, indexOfAscii, namedRegions, parseElf, printableStrings } from '../../scripts/src/elf/index.ts';
import { buildFixtures, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures(['musl-static-stripped', 'gnu-dynamic']);
});
afterAll(() => fx?.cleanup());

const ascii = (s: string) => new TextEncoder().encode(s);

describe('printable strings', () => {
  it('finds the format string of a stripped static binary in .rodata', () => {
    const bytes = fx.bytes('musl-static-stripped');
    const elf = parseElf(bytes);
    const found = printableStrings(bytes, namedRegions(elf, ['.rodata']), 6).map((s) => s.value);
    expect(found).toContain('hello %p %s');
    expect(found.every((s) => s.length >= 6)).toBe(true);
  });

  it('honours the minimum length and reports region and offset', () => {
    const bytes = ascii('\0ab\0abcdef\x01xyz12\0');
    const regions = [{ name: 'r', offset: 0, size: bytes.length }];
    expect(printableStrings(bytes, regions, 4)).toEqual([
      { region: 'r', offset: 4, value: 'abcdef' },
      { region: 'r', offset: 11, value: 'xyz12' },
    ]);
    expect(printableStrings(bytes, regions, 2).map((s) => s.value)).toEqual(['ab', 'abcdef', 'xyz12']);
  });

  it('handles a run longer than the spread-argument limit', () => {
    const big = new Uint8Array(300_000).fill(0x41);
    expect(printableStrings(big, [{ name: 'big', offset: 0, size: big.length }])[0]!.value.length).toBe(300_000);
  });
});

describe('regions and markers', () => {
  it('uses allocated, non-executable sections with file data', () => {
    const elf = parseElf(fx.bytes('gnu-dynamic'));
    const names = dataRegions(elf, fx.bytes('gnu-dynamic').length).map((r) => r.name);
    expect(names).toContain('.rodata');
    expect(names).not.toContain('.text');
    expect(names).not.toContain('.bss');
    expect(names).not.toContain('.comment');
  });

  it('falls back to PT_LOAD segments, then the whole file, when there are no section headers', () => {
    const elf = parseElf(fx.bytes('gnu-dynamic'));
    const noSections = { ...elf, sections: [] };
    expect(dataRegions(noSections, 1000).every((r) => r.name.startsWith('segment '))).toBe(true);
    expect(dataRegions({ sections: [], programHeaders: [] }, 1000)).toEqual([{ name: 'file', offset: 0, size: 1000 }]);
  });

  it('matches markers as substrings of packed literals, within region bounds', () => {
    const bytes = ascii('xxxxpermission deniedmimalloc: error: yyy');
    const found = findMarkers(bytes, [{ name: 'r', offset: 4, size: 37 }], ['mimalloc: error: ', 'not there', 'xxxx']);
    expect([...found.keys()]).toEqual(['mimalloc: error: ']);
    expect(found.get('mimalloc: error: ')).toEqual({ region: 'r', offset: 21 });
  });

  it('indexOfAscii never reads past the given end', () => {
    const bytes = ascii('abcabcabd');
    expect(indexOfAscii(bytes, 'abd', 0, 9)).toBe(6);
    expect(indexOfAscii(bytes, 'abd', 0, 8)).toBe(-1);
    expect(indexOfAscii(bytes, 'bc', 2, 9)).toBe(4);
    expect(indexOfAscii(bytes.subarray(3), 'abd', 0, 6)).toBe(3);
  });
});

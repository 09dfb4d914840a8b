import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { STT, parseElf, symbolNames } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
const NAMES: FixtureName[] = ['gnu-dynamic', 'gnu-dynamic-stripped', 'musl-static', 'aarch64-musl-static', 'i386-shared', 'glibc-mallopt'];
beforeAll(() => {
  fx = buildFixtures(NAMES);
});
afterAll(() => fx?.cleanup());

// Symbol counts per table from readelf -s ("Symbol table '.dynsym' contains 8 entries:").
function readelfCounts(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of readelf(['-s'], file).matchAll(/Symbol table '([^']+)' contains (\d+) entr/g)) out[m[1]!] = Number(m[2]);
  return out;
}

describe('symbol tables', () => {
  test.each(NAMES)('%s: entry counts match readelf -s (minus the null symbol)', (name) => {
    const elf = parseElf(fx.bytes(name));
    const counts = readelfCounts(fx.path(name));
    expect(elf.symbols.length).toBe(counts['.symtab'] ? counts['.symtab'] - 1 : 0);
    expect(elf.dynamicSymbols.length).toBe(counts['.dynsym'] ? counts['.dynsym'] - 1 : 0);
  });

  it('separates imported from defined symbols', () => {
    const elf = parseElf(fx.bytes('gnu-dynamic'));
    expect(symbolNames(elf.dynamicSymbols, 'undefined')).toContain('printf');
    expect(symbolNames(elf.dynamicSymbols, 'defined').has('printf')).toBe(false);
    const main = elf.symbols.find((s) => s.name === 'main')!;
    expect(main.defined).toBe(true);
    expect(main.type).toBe(STT.FUNC);
  });

  it('a stripped binary keeps .dynsym but has no .symtab', () => {
    const elf = parseElf(fx.bytes('gnu-dynamic-stripped'));
    expect(elf.symbols).toEqual([]);
    expect(symbolNames(elf.dynamicSymbols)).toContain('malloc');
  });

  it('a static musl binary defines malloc itself', () => {
    expect(symbolNames(parseElf(fx.bytes('musl-static')).symbols, 'defined')).toContain('malloc');
    expect(symbolNames(parseElf(fx.bytes('aarch64-musl-static')).symbols, 'defined')).toContain('__init_libc');
  });

  it('the mallopt fixture imports mallopt from glibc', () => {
    expect(symbolNames(parseElf(fx.bytes('glibc-mallopt')).dynamicSymbols, 'undefined')).toContain('mallopt');
  });

  it('reads ELF32 symbol layout', () => {
    const elf = parseElf(fx.bytes('i386-shared'));
    expect(symbolNames(elf.symbols, 'defined')).toContain('_start');
    expect(symbolNames(elf.symbols, 'defined')).toContain('marker');
  });
});

import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { PT, parseElf, programHeaderTypeName, vaddrToOffset } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
const NAMES: FixtureName[] = ['gnu-dynamic', 'musl-static', 'musl-static-pie', 'aarch64-gnu-dynamic', 'aarch64-musl-static', 'i386-static'];
beforeAll(() => {
  fx = buildFixtures(NAMES);
});
afterAll(() => fx?.cleanup());

// readelf -lW prints one line per segment: TYPE 0xOFFSET 0xVADDR 0xPADDR 0xFILESZ 0xMEMSZ FLAGS ALIGN
function readelfSegments(file: string): { type: string; offset: number; vaddr: number; filesz: number }[] {
  return readelf(['-l'], file)
    .split('\n')
    .map((l) => /^\s+([A-Z_]+|LOOS\S*|0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ type: m[1]!, offset: Number(m[2]), vaddr: Number(m[3]), filesz: Number(m[4]) }));
}

describe('program headers', () => {
  test.each(NAMES)('%s: segments match readelf -l', (name) => {
    const elf = parseElf(fx.bytes(name));
    const expected = readelfSegments(fx.path(name));
    expect(expected.length).toBeGreaterThan(2);
    expect(elf.programHeaders.map((p) => ({ type: p.typeName, offset: p.offset, vaddr: p.vaddr, filesz: p.filesz }))).toEqual(expected);
  });

  test.each<[FixtureName, string | undefined]>([
    ['gnu-dynamic', '/lib64/ld-linux-x86-64.so.2'],
    ['aarch64-gnu-dynamic', '/lib/ld-linux-aarch64.so.1'],
    ['musl-static', undefined],
    ['musl-static-pie', undefined],
    ['aarch64-musl-static', undefined],
  ])('%s: PT_INTERP is %s', (name, interp) => {
    const elf = parseElf(fx.bytes(name));
    expect(elf.interpreter).toBe(interp);
    const fromReadelf = /Requesting program interpreter: ([^\]]+)\]/.exec(readelf(['-l'], fx.path(name)))?.[1];
    expect(elf.interpreter).toBe(fromReadelf);
  });

  it('names known and unknown segment types', () => {
    expect(programHeaderTypeName(PT.GNU_STACK)).toBe('GNU_STACK');
    expect(programHeaderTypeName(0x12345)).toBe('0x12345');
  });

  it('maps a virtual address back to its file offset through PT_LOAD', () => {
    const elf = parseElf(fx.bytes('musl-static'));
    const load = elf.programHeaders.find((p) => p.type === PT.LOAD && p.filesz > 16)!;
    expect(vaddrToOffset(elf.programHeaders, load.vaddr + 16)).toBe(load.offset + 16);
    expect(vaddrToOffset(elf.programHeaders, 1)).toBeUndefined();
  });
});

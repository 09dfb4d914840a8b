import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { EM, ElfError, MACHINE_NAMES, machineName, machineNumber, parseElf, parseHeader } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures(['gnu-dynamic', 'musl-static', 'aarch64-musl-static', 'aarch64-gnu-dynamic', 'i386-static', 'shared-lib']);
});
afterAll(() => fx?.cleanup());

describe('machine table', () => {
  test.each([
    [62, 'x86_64'], [183, 'aarch64'], [40, 'arm'], [243, 'riscv'], [3, 'i386'], [21, 'ppc64'], [22, 's390'],
  ])('e_machine %i is %s', (num, name) => {
    expect(machineName(num)).toBe(name);
    expect(MACHINE_NAMES[num]).toBe(name);
    expect(machineNumber(name)).toBe(num);
  });

  it('keeps unknown machine numbers visible', () => {
    expect(machineName(0xbeef)).toBe('unknown(48879)');
    expect(machineNumber('vax-9000')).toBeUndefined();
    expect(EM.X86_64).toBe(62);
  });
});

describe('real binaries', () => {
  test.each<[FixtureName, 32 | 64, string, string]>([
    ['gnu-dynamic', 64, 'x86_64', 'DYN'],
    ['musl-static', 64, 'x86_64', 'EXEC'],
    ['aarch64-musl-static', 64, 'aarch64', 'EXEC'],
    ['aarch64-gnu-dynamic', 64, 'aarch64', 'DYN'],
    ['i386-static', 32, 'i386', 'EXEC'],
    ['shared-lib', 64, 'x86_64', 'DYN'],
  ])('%s: ELF%i %s %s', (name, cls, machine, type) => {
    const elf = parseElf(fx.bytes(name));
    expect(elf.class).toBe(cls);
    expect(elf.endian).toBe('little');
    expect(elf.machineName).toBe(machine);
    expect(elf.type).toBe(type);
  });

  test.each<FixtureName>(['gnu-dynamic', 'aarch64-musl-static', 'i386-static'])('%s: entry and counts match readelf -h', (name) => {
    const { header } = parseHeader(fx.bytes(name));
    const out = readelf(['-h'], fx.path(name));
    const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1];
    expect(header.entry).toBe(Number(field('Entry point address')));
    expect(header.phnum).toBe(Number(field('Number of program headers')));
    expect(header.shnum).toBe(Number(field('Number of section headers')));
    expect(header.shstrndx).toBe(Number(field('Section header string table index')));
  });
});

describe('hand-written headers', () => {
  // ELF32, big endian, ET_EXEC, EM_PPC (20), entry 0x10000074, no program or section headers.
  const be32 = new Uint8Array([
    0x7f, 0x45, 0x4c, 0x46, 0x01, 0x02, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
    0x00, 0x02, 0x00, 0x14, 0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0x00, 0x74,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x34, 0x00, 0x20, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x00,
  ]);

  it('reads a big-endian ELF32 header written by hand', () => {
    const elf = parseElf(be32);
    expect(elf).toMatchObject({ class: 32, endian: 'big', type: 'EXEC', machine: 20, machineName: 'ppc', entry: 0x10000074 });
    expect(elf.header.ehsize).toBe(52);
    expect(elf.programHeaders).toEqual([]);
    expect(elf.sections).toEqual([]);
    expect(elf.stripped).toBe(true);
  });

  it('reads the same fields little-endian once the byte order flag and fields are swapped', () => {
    const le = be32.slice();
    le[5] = 1;
    for (const at of [16, 18, 40, 42, 44, 46, 48, 50]) [le[at], le[at + 1]] = [le[at + 1]!, le[at]!];
    for (const at of [20, 24]) le.set(le.slice(at, at + 4).reverse(), at);
    expect(parseElf(le)).toMatchObject({ class: 32, endian: 'little', machine: 20, entry: 0x10000074 });
  });

  test.each([
    [4, 3, 'ELF_UNSUPPORTED', /unsupported ELF class 3/],
    [5, 7, 'ELF_UNSUPPORTED', /unsupported ELF data encoding 7/],
    [6, 2, 'ELF_UNSUPPORTED', /unsupported ELF version 2/],
  ])('e_ident byte %i = %i is rejected', (at, value, code, message) => {
    const bad = be32.slice();
    bad[at] = value;
    expect(() => parseElf(bad)).toThrow(ElfError);
    expect(() => parseElf(bad)).toThrow(message);
    try { parseElf(bad); } catch (e) { expect((e as ElfError).code).toBe(code); }
  });

  it('rejects a header whose program header entry size is too small', () => {
    const bad = be32.slice();
    bad[45] = 1; // phnum = 1
    bad[43] = 8; // phentsize = 8
    expect(() => parseElf(bad)).toThrow(/program header entry size 8 is smaller than 32/);
  });
});

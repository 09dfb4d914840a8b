import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { ElfError, parseElf } from '../../scripts/src/elf/index.ts';
import { buildFixtures, type FixtureName, type Fixtures } from './fixtures.ts';
import { syntheticElf } from './synthetic.ts';

let fx: Fixtures;
const REAL: FixtureName[] = ['gnu-dynamic', 'musl-static-pie', 'aarch64-musl-static', 'i386-shared'];
beforeAll(() => {
  fx = buildFixtures(REAL);
});
afterAll(() => fx?.cleanup());

// Runs parseElf and returns the ElfError; any other outcome (success, other exception) fails the test.
function elfError(bytes: Uint8Array): ElfError {
  let caught: unknown;
  try {
    parseElf(bytes);
  } catch (e) {
    caught = e;
  }
  expect(caught, 'parseElf should have thrown').toBeDefined();
  expect(caught, String(caught)).toBeInstanceOf(ElfError);
  const e = caught as ElfError;
  expect(e.message).not.toMatch(/internal parse failure/);
  expect(e.message).not.toContain('\n');
  return e;
}

const u64le = (bytes: Uint8Array, at: number, v: number) => new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(at, BigInt(v), true);

describe('bad input', () => {
  test.each([
    ['text', new TextEncoder().encode('hello world, not an elf'), 'not an ELF file (bad magic 68 65 6c 6c)'],
    ['gzip', new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0]), 'not an ELF file (bad magic 1f 8b 08 00)'],
    ['almost ELF', new Uint8Array([0x7f, 0x45, 0x4c, 0x47, 2, 1, 1]), 'not an ELF file (bad magic 7f 45 4c 47)'],
    ['empty', new Uint8Array(0), 'not an ELF file (empty file)'],
    ['two bytes', new Uint8Array([0x4d, 0x5a]), 'not an ELF file (bad magic 4d 5a)'],
  ])('%s → ELF_NOT_ELF', (_name, bytes, message) => {
    const e = elfError(bytes);
    expect(e.code).toBe('ELF_NOT_ELF');
    expect(e.message).toBe(message);
  });

  it('rejects non-Uint8Array input with an ElfError', () => {
    expect(() => parseElf('not bytes' as unknown as Uint8Array)).toThrow(ElfError);
  });

  test.each(REAL)('%s: every truncation gives ElfError with a clear message', (name) => {
    const full = fx.bytes(name);
    const cuts = new Set([1, 3, 4, 10, 16, 20, 40, 52, 63, 64, 100, 200, 1000, 4096]);
    for (let i = 1; i < 40; i++) cuts.add(Math.floor((full.length * i) / 40));
    cuts.add(full.length - 1);
    for (const cut of cuts) {
      if (cut >= full.length) continue;
      const e = elfError(full.slice(0, cut));
      expect(e.code).toBe('ELF_MALFORMED');
      expect(e.message).toMatch(/^truncated ELF: /);
    }
  });

  it('names the section header table when e_shoff points past the end', () => {
    const bytes = fx.bytes('gnu-dynamic').slice();
    u64le(bytes, 0x28, bytes.length - 8); // e_shoff
    const e = elfError(bytes);
    expect(e.message).toBe(`truncated ELF: section header table at offset 0x${(bytes.length - 8).toString(16)} (64 bytes) runs past the end of the file (size ${bytes.length})`);
  });

  it('reports an absurd e_shoff as malformed, not as a RangeError', () => {
    const bytes = fx.bytes('gnu-dynamic').slice();
    new DataView(bytes.buffer).setBigUint64(0x28, 0xffffffffffffff00n, true);
    expect(elfError(bytes).message).toMatch(/section header offset \(e_shoff\) 0xffffffffffffff00 is larger than any file/);
  });

  it('reports a section name table index out of range', () => {
    const bytes = fx.bytes('gnu-dynamic').slice();
    new DataView(bytes.buffer).setUint16(0x3e, 999, true); // e_shstrndx
    expect(elfError(bytes).message).toMatch(/section name table index 999 is out of range/);
  });

  it('reports a section whose data runs past the end of the file', () => {
    const bytes = fx.bytes('gnu-dynamic').slice();
    const dv = new DataView(bytes.buffer);
    const shoff = Number(dv.getBigUint64(0x28, true));
    dv.setBigUint64(shoff + 64 + 32, BigInt(bytes.length), true); // section 1 sh_size
    expect(elfError(bytes).message).toMatch(/^truncated ELF: section 1 \(\.interp\) at offset 0x[0-9a-f]+ \(\d+ bytes\) runs past the end of the file/);
  });

  it('reports a dynamic string offset outside .dynstr', () => {
    const bytes = syntheticElf({ elfClass: 32, endian: 'big', machine: 20, needed: ['libc.so.6'] });
    const elf = parseElf(bytes);
    const dyn = elf.sections.find((s) => s.name === '.dynamic')!;
    new DataView(bytes.buffer).setUint32(dyn.offset + 4, 0x7fff, false); // DT_NEEDED value
    expect(elfError(bytes).message).toMatch(/dynamic tag 0x1 string offset 0x[0-9a-f]+ is outside its string table/);
  });

  it('reports an unterminated PT_INTERP', () => {
    const bytes = syntheticElf({ elfClass: 64, endian: 'little', machine: 62, interp: '/lib/ld.so' });
    const interp = parseElf(bytes).programHeaders.find((p) => p.typeName === 'INTERP')!;
    bytes[interp.offset + interp.filesz - 1] = 0x41;
    expect(elfError(bytes).message).toMatch(/PT_INTERP string at 0x[0-9a-f]+ is not NUL-terminated/);
  });
});

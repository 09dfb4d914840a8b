import { hex, malformed } from './errors.ts';
import { readCString, type ByteReader } from './reader.ts';
import { linkedSection, SHT, type SectionHeader } from './sections.ts';

export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6, GNU_IFUNC: 10 } as const;
export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2, GNU_UNIQUE: 10 } as const;

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: number;
  bind: number;
  /** st_shndx; 0 (SHN_UNDEF) means the symbol is imported, not defined here. */
  sectionIndex: number;
  defined: boolean;
}

// Reads all entries of one symbol table section (.symtab or .dynsym) with names from its linked
// string table. Entry 0 (the null symbol) is skipped.
export function parseSymbolTable(r: ByteReader, sections: readonly SectionHeader[], sec: SectionHeader): ElfSymbol[] {
  const is64 = r.elfClass === 64;
  const entSize = is64 ? 24 : 16;
  if (sec.entsize !== 0 && sec.entsize !== entSize) {
    throw malformed(`malformed ELF: symbol table ${sec.name || sec.index} has entry size ${sec.entsize}, expected ${entSize}`);
  }
  if (sec.size % entSize !== 0) {
    throw malformed(`malformed ELF: symbol table ${sec.name || sec.index} size ${hex(sec.size)} is not a multiple of ${entSize}`);
  }
  const str = linkedSection(sections, sec, SHT.STRTAB);
  const strEnd = str.offset + str.size;
  const out: ElfSymbol[] = [];
  for (let at = sec.offset + entSize; at < sec.offset + sec.size; at += entSize) {
    const nameOff = r.u32(at);
    const info = r.u8(at + (is64 ? 4 : 12));
    const shndx = r.u16(at + (is64 ? 6 : 14));
    const value = is64 ? Number(r.u64(at + 8)) : r.u32(at + 4);
    const size = is64 ? Number(r.u64(at + 16)) : r.u32(at + 8);
    const name = nameOff === 0 ? '' : readCString(r.bytes, str.offset + nameOff, strEnd, `symbol in ${sec.name || sec.index}`);
    out.push({ name, value, size, type: info & 0xf, bind: info >> 4, sectionIndex: shndx, defined: shndx !== 0 });
  }
  return out;
}

// Symbols of every section of one kind; normally there is at most one .symtab and one .dynsym.
export function parseSymbols(r: ByteReader, sections: readonly SectionHeader[], type: number): ElfSymbol[] {
  return sections.filter((s) => s.type === type).flatMap((s) => parseSymbolTable(r, sections, s));
}

// Set of names for quick membership tests, optionally restricted to defined or undefined symbols.
// Version suffixes are not part of st_name, so "malloc" matches "malloc@GLIBC_2.2.5".
export function symbolNames(symbols: readonly ElfSymbol[], which: 'all' | 'defined' | 'undefined' = 'all'): Set<string> {
  const keep = (s: ElfSymbol) => (which === 'all' ? true : which === 'defined' ? s.defined : !s.defined);
  return new Set(symbols.filter((s) => s.name !== '' && keep(s)).map((s) => s.name));
}

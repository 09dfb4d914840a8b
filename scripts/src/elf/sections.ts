import { hex, malformed } from './errors.ts';
import type { ElfHeader } from './header.ts';
import { readCString, type ByteReader } from './reader.ts';

export const SHT = {
  NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, HASH: 5, DYNAMIC: 6, NOTE: 7, NOBITS: 8, REL: 9,
  DYNSYM: 11, GNU_HASH: 0x6ffffff6, GNU_VERDEF: 0x6ffffffd, GNU_VERNEED: 0x6ffffffe, GNU_VERSYM: 0x6fffffff,
} as const;
export const SHF = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4 } as const;
const SHN_XINDEX = 0xffff;
const PN_XNUM = 0xffff;

export interface SectionHeader {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

// One raw section header; fields are at class-dependent offsets (w = word size).
function readSection(r: ByteReader, at: number, index: number): SectionHeader {
  const w = r.wordSize;
  return {
    index,
    name: '',
    type: r.u32(at + 4),
    flags: r.word(at + 8),
    addr: r.word(at + 8 + w),
    offset: r.offsetWord(at + 8 + 2 * w, `section ${index} offset`),
    size: r.offsetWord(at + 8 + 3 * w, `section ${index} size`),
    link: r.u32(at + 8 + 4 * w),
    info: r.u32(at + 12 + 4 * w),
    addralign: r.word(at + 16 + 4 * w),
    entsize: r.word(at + 16 + 5 * w),
  };
}

// Reads the section header table and names. Applies the extended-numbering rules (section 0 holds
// the real counts when there are 65535+ sections) and returns the corrected phnum alongside.
export function parseSections(r: ByteReader, h: ElfHeader): { sections: SectionHeader[]; phnum: number } {
  if (h.shoff === 0) return { sections: [], phnum: h.phnum };
  r.checkRange(h.shoff, h.shentsize, 'section header table');
  const first = readSection(r, h.shoff, 0);
  const shnum = h.shnum === 0 ? first.size : h.shnum;
  const phnum = h.phnum === PN_XNUM ? first.info : h.phnum;
  const shstrndx = h.shstrndx === SHN_XINDEX ? first.link : h.shstrndx;
  if (shnum === 0) return { sections: [], phnum };
  r.checkRange(h.shoff, shnum * h.shentsize, `section header table (${shnum} entries of ${h.shentsize} bytes)`);
  const sections: SectionHeader[] = [];
  for (let i = 0; i < shnum; i++) sections.push(readSection(r, h.shoff + i * h.shentsize, i));
  if (shstrndx !== 0) {
    const strtab = sections[shstrndx];
    if (!strtab) throw malformed(`malformed ELF: section name table index ${shstrndx} is out of range (${shnum} sections)`);
    if (strtab.type === SHT.NOBITS) throw malformed(`malformed ELF: section name table ${shstrndx} has no data (NOBITS)`);
    r.checkRange(strtab.offset, strtab.size, `section name table (section ${shstrndx})`);
    const end = strtab.offset + strtab.size;
    for (const s of sections) {
      const nameOff = r.u32(h.shoff + s.index * h.shentsize);
      if (s.type === SHT.NULL && nameOff === 0) continue;
      s.name = readCString(r.bytes, strtab.offset + nameOff, end, `section ${s.index} name`);
    }
  }
  for (const s of sections) {
    if (s.type !== SHT.NOBITS && s.type !== SHT.NULL) r.checkRange(s.offset, s.size, `section ${s.index} (${s.name || `type ${hex(s.type)}`})`);
  }
  return { sections, phnum };
}

// Sections are looked up by name throughout; the first match wins, as with readelf.
export function findSection(sections: readonly SectionHeader[], name: string): SectionHeader | undefined {
  return sections.find((s) => s.name === name);
}

// File bytes of a section (empty for NOBITS); ranges were validated by parseSections.
export function sectionData(bytes: Uint8Array, s: SectionHeader): Uint8Array {
  if (s.type === SHT.NOBITS) return bytes.subarray(0, 0);
  return bytes.subarray(s.offset, s.offset + s.size);
}

// A section's sh_link must name another section (string table of a symbol table, etc.).
export function linkedSection(sections: readonly SectionHeader[], s: SectionHeader, want: number): SectionHeader {
  const linked = sections[s.link];
  if (!linked || linked.type !== want) {
    throw malformed(`malformed ELF: section ${s.name || s.index} links to section ${s.link}, which is not of type ${hex(want)}`);
  }
  return linked;
}

import { hex, malformed } from './errors.ts';
import { PT, vaddrToOffset, type ProgramHeader } from './program-headers.ts';
import { readCString, type ByteReader } from './reader.ts';
import { SHT, type SectionHeader } from './sections.ts';

export const DT = {
  NULL: 0, NEEDED: 1, STRTAB: 5, STRSZ: 10, SONAME: 14, RPATH: 15, RUNPATH: 29, FLAGS: 30,
  FLAGS_1: 0x6ffffffb, VERNEED: 0x6ffffffe, VERNEEDNUM: 0x6fffffff,
} as const;
export const DF = { ORIGIN: 0x1, SYMBOLIC: 0x2, TEXTREL: 0x4, BIND_NOW: 0x8, STATIC_TLS: 0x10 } as const;
export const DF_1 = { NOW: 0x1, NODELETE: 0x8, ORIGIN: 0x80, NODEFLIB: 0x800, PIE: 0x08000000 } as const;

export interface DynamicEntry {
  tag: number;
  value: number;
}

export interface DynamicInfo {
  needed: string[];
  soname?: string;
  rpath: string[];
  runpath: string[];
  flags: number;
  flags1: number;
  entries: DynamicEntry[];
  /** File range of the dynamic string table, when it could be located. */
  strtab?: { offset: number; size: number };
}

// Where the dynamic array lives: the .dynamic section if present (sh_link gives .dynstr), else PT_DYNAMIC.
function locate(sections: readonly SectionHeader[], phs: readonly ProgramHeader[]) {
  const sec = sections.find((s) => s.type === SHT.DYNAMIC);
  if (sec) return { offset: sec.offset, size: sec.size, strtabSection: sections[sec.link] };
  const seg = phs.find((p) => p.type === PT.DYNAMIC);
  if (seg) return { offset: seg.offset, size: seg.filesz, strtabSection: undefined };
  return undefined;
}

// Parses the dynamic array (DT_NEEDED, DT_SONAME, DT_RPATH/RUNPATH, DT_FLAGS/FLAGS_1). Returns
// undefined for binaries without one (classic static executables).
export function parseDynamic(
  r: ByteReader, sections: readonly SectionHeader[], phs: readonly ProgramHeader[],
): DynamicInfo | undefined {
  const where = locate(sections, phs);
  if (!where) return undefined;
  const entSize = 2 * r.wordSize;
  const entries: DynamicEntry[] = [];
  for (let at = where.offset; at + entSize <= where.offset + where.size; at += entSize) {
    const tag = r.word(at);
    if (tag === DT.NULL) break;
    entries.push({ tag, value: r.word(at + r.wordSize) });
  }
  const get = (tag: number) => entries.find((e) => e.tag === tag)?.value;
  let strtab: { offset: number; size: number } | undefined;
  const st = where.strtabSection;
  if (st && st.type === SHT.STRTAB) strtab = { offset: st.offset, size: st.size };
  else {
    const addr = get(DT.STRTAB);
    const size = get(DT.STRSZ);
    if (addr !== undefined && size !== undefined) {
      const off = vaddrToOffset(phs, addr, Math.max(size, 1));
      if (off !== undefined) strtab = { offset: off, size };
    }
  }
  const str = (e: DynamicEntry): string => {
    if (!strtab) throw malformed(`malformed ELF: dynamic entry tag ${hex(e.tag)} needs a string table, but none was found`);
    r.checkRange(strtab.offset, strtab.size, 'dynamic string table');
    return readCString(r.bytes, strtab.offset + e.value, strtab.offset + strtab.size, `dynamic tag ${hex(e.tag)}`);
  };
  const split = (s: string) => s.split(':').filter((p) => p.length > 0);
  const info: DynamicInfo = { needed: [], rpath: [], runpath: [], flags: 0, flags1: 0, entries };
  if (strtab) info.strtab = strtab;
  for (const e of entries) {
    if (e.tag === DT.NEEDED) info.needed.push(str(e));
    else if (e.tag === DT.SONAME) info.soname = str(e);
    else if (e.tag === DT.RPATH) info.rpath.push(...split(str(e)));
    else if (e.tag === DT.RUNPATH) info.runpath.push(...split(str(e)));
    else if (e.tag === DT.FLAGS) info.flags = (info.flags | e.value) >>> 0;
    else if (e.tag === DT.FLAGS_1) info.flags1 = (info.flags1 | e.value) >>> 0;
  }
  return info;
}

import { malformed } from './errors.ts';
import type { DynamicInfo } from './dynamic.ts';
import { DT } from './dynamic.ts';
import { PT, vaddrToOffset, type ProgramHeader } from './program-headers.ts';
import { readCString, type ByteReader } from './reader.ts';
import { SHT, type SectionHeader } from './sections.ts';

/** One file's entry in .gnu.version_r: the versioned symbols a binary needs from that library. */
export interface VersionNeed {
  file: string;
  versions: string[];
}

interface Table { offset: number; size: number; count: number; strOffset: number; strSize: number }

// The verneed table from its section (sh_link = string table, sh_info = count) or, for binaries
// without section headers, from DT_VERNEED/DT_VERNEEDNUM and the dynamic string table.
function locate(sections: readonly SectionHeader[], phs: readonly ProgramHeader[], dyn?: DynamicInfo): Table | undefined {
  const sec = sections.find((s) => s.type === SHT.GNU_VERNEED);
  if (sec) {
    const str = sections[sec.link];
    if (!str || str.type !== SHT.STRTAB) throw malformed(`malformed ELF: ${sec.name || 'version needs'} section links to section ${sec.link}, which is not a string table`);
    return { offset: sec.offset, size: sec.size, count: sec.info, strOffset: str.offset, strSize: str.size };
  }
  const addr = dyn?.entries.find((e) => e.tag === DT.VERNEED)?.value;
  const count = dyn?.entries.find((e) => e.tag === DT.VERNEEDNUM)?.value;
  if (addr === undefined || count === undefined || !dyn?.strtab) return undefined;
  const offset = vaddrToOffset(phs, addr);
  if (offset === undefined) throw malformed('malformed ELF: DT_VERNEED points outside every loaded segment');
  const seg = phs.find((p) => p.type === PT.LOAD && offset >= p.offset && offset < p.offset + p.filesz);
  const size = seg ? seg.offset + seg.filesz - offset : 0;
  return { offset, size, count, strOffset: dyn.strtab.offset, strSize: dyn.strtab.size };
}

// Parses Verneed/Vernaux chains into per-file version lists. All links are checked to stay in
// the table and the walk is capped by the table size, so a looping chain cannot hang the parser.
export function parseVersionNeeds(
  r: ByteReader, sections: readonly SectionHeader[], phs: readonly ProgramHeader[], dyn?: DynamicInfo,
): VersionNeed[] {
  const t = locate(sections, phs, dyn);
  if (!t || t.size === 0) return [];
  const end = t.offset + t.size;
  const budget = Math.floor(t.size / 16);
  let steps = 0;
  const step = (at: number, what: string) => {
    if (++steps > budget || at < t.offset || at + 16 > end) throw malformed(`malformed ELF: ${what} at offset 0x${at.toString(16)} is outside the version needs table`);
  };
  const str = (off: number) => readCString(r.bytes, t.strOffset + off, t.strOffset + t.strSize, 'version needs');
  const out: VersionNeed[] = [];
  let at = t.offset;
  for (let i = 0; t.count === 0 || i < t.count; i++) {
    step(at, 'Verneed entry');
    const cnt = r.u16(at + 2);
    const need: VersionNeed = { file: str(r.u32(at + 4)), versions: [] };
    let aux = at + r.u32(at + 8);
    for (let j = 0; j < cnt; j++) {
      step(aux, 'Vernaux entry');
      need.versions.push(str(r.u32(aux + 8)));
      const next = r.u32(aux + 12);
      if (next === 0) break;
      aux += next;
    }
    out.push(need);
    const next = r.u32(at + 12);
    if (next === 0) break;
    at += next;
  }
  return out;
}

// "GLIBC_2.34" → [2, 34]; undefined for GLIBC_PRIVATE and non-glibc version names.
export function parseGlibcVersion(name: string): number[] | undefined {
  const m = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(name);
  return m ? m[1]!.split('.').map(Number) : undefined;
}

// Numeric, component-wise comparison so 2.34 > 2.5 > 2.2.5 (string order would get this wrong).
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// Every distinct GLIBC_x.y the binary needs, from any library, sorted oldest first.
export function glibcVersionNeeds(elf: { versionNeeds: readonly VersionNeed[] }): string[] {
  const names = new Set(elf.versionNeeds.flatMap((n) => n.versions).filter((v) => parseGlibcVersion(v)));
  return [...names].sort((a, b) => compareVersions(parseGlibcVersion(a)!, parseGlibcVersion(b)!));
}

// The oldest glibc that can run the binary = the highest GLIBC_x.y it needs (e.g. "GLIBC_2.34").
export function glibcFloor(elf: { versionNeeds: readonly VersionNeed[] }): string | undefined {
  return glibcVersionNeeds(elf).at(-1);
}

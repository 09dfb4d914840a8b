import { PT, type ProgramHeader } from './program-headers.ts';
import type { ByteReader } from './reader.ts';
import { SHT, type SectionHeader } from './sections.ts';

export const NT_GNU_BUILD_ID = 3;

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

// Walks one note region; fields are padded to 4 bytes (8 for 8-aligned regions such as
// .note.gnu.property), relative to the region start. A note that does not fit ends the walk instead
// of failing the whole parse: notes are informational and readelf treats this as a warning too.
function parseRegion(r: ByteReader, offset: number, size: number, alignment: number): ElfNote[] {
  const a = alignment === 8 ? 8 : 4;
  const out: ElfNote[] = [];
  let rel = 0;
  while (rel + 12 <= size) {
    const at = offset + rel;
    const namesz = r.u32(at);
    const descsz = r.u32(at + 4);
    const type = r.u32(at + 8);
    const descRel = align(rel + 12 + namesz, a);
    if (descRel + descsz > size) break;
    const rawName = r.bytes.subarray(at + 12, at + 12 + namesz);
    const nul = rawName.indexOf(0);
    const name = String.fromCharCode(...(nul === -1 ? rawName : rawName.subarray(0, nul)).subarray(0, 256));
    out.push({ name, type, desc: r.bytes.subarray(offset + descRel, offset + descRel + descsz) });
    rel = align(descRel + descsz, a);
  }
  return out;
}

// All notes, from SHT_NOTE sections when the file has section headers, else from PT_NOTE
// segments (the two normally describe the same bytes, so only one source is used).
export function parseNotes(r: ByteReader, sections: readonly SectionHeader[], phs: readonly ProgramHeader[]): ElfNote[] {
  const secs = sections.filter((s) => s.type === SHT.NOTE);
  if (secs.length > 0) return secs.flatMap((s) => parseRegion(r, s.offset, s.size, s.addralign));
  return phs
    .filter((p) => p.type === PT.NOTE)
    .flatMap((p) => parseRegion(r, p.offset, p.filesz, p.align));
}

// The GNU build-id as lowercase hex, the same string readelf -n and debuginfod use.
export function buildIdFromNotes(notes: readonly ElfNote[]): string | undefined {
  const n = notes.find((x) => x.name === 'GNU' && x.type === NT_GNU_BUILD_ID);
  if (!n || n.desc.length === 0) return undefined;
  return Array.from(n.desc, (b) => b.toString(16).padStart(2, '0')).join('');
}

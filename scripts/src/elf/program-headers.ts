import { malformed } from './errors.ts';
import type { ElfHeader } from './header.ts';
import { readCString, type ByteReader } from './reader.ts';

export const PT = {
  NULL: 0, LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4, SHLIB: 5, PHDR: 6, TLS: 7,
  GNU_EH_FRAME: 0x6474e550, GNU_STACK: 0x6474e551, GNU_RELRO: 0x6474e552, GNU_PROPERTY: 0x6474e553,
} as const;
export const PF = { X: 1, W: 2, R: 4 } as const;

const PT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(PT).map(([k, v]) => [v, k]));

export interface ProgramHeader {
  index: number;
  type: number;
  typeName: string;
  flags: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

// Readelf-style name (LOAD, INTERP, GNU_STACK…) or the hex number for unknown types.
export function programHeaderTypeName(type: number): string {
  return PT_NAMES[type] ?? `0x${type.toString(16)}`;
}

// Reads the program header table. Every non-empty segment's file range is validated, because a
// segment that runs past the end of the file means the file was cut and cannot be loaded.
export function parseProgramHeaders(r: ByteReader, h: ElfHeader, phnum: number): ProgramHeader[] {
  if (phnum === 0) return [];
  r.checkRange(h.phoff, phnum * h.phentsize, `program header table (${phnum} entries of ${h.phentsize} bytes)`);
  const is64 = h.class === 64;
  const out: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = h.phoff + i * h.phentsize;
    const type = r.u32(at);
    const ph: ProgramHeader = is64
      ? {
          index: i, type, typeName: programHeaderTypeName(type), flags: r.u32(at + 4),
          offset: r.offsetWord(at + 8, `segment ${i} offset`), vaddr: r.word(at + 16), paddr: r.word(at + 24),
          filesz: r.offsetWord(at + 32, `segment ${i} file size`), memsz: r.word(at + 40), align: r.word(at + 48),
        }
      : {
          index: i, type, typeName: programHeaderTypeName(type), flags: r.u32(at + 24),
          offset: r.u32(at + 4), vaddr: r.u32(at + 8), paddr: r.u32(at + 12),
          filesz: r.u32(at + 16), memsz: r.u32(at + 20), align: r.u32(at + 28),
        };
    if (type !== PT.NULL && ph.filesz > 0) r.checkRange(ph.offset, ph.filesz, `segment ${i} (${ph.typeName})`);
    out.push(ph);
  }
  return out;
}

// PT_INTERP names the dynamic loader; its presence is what makes an executable dynamically loaded.
export function readInterpreter(bytes: Uint8Array, phs: readonly ProgramHeader[]): string | undefined {
  const interp = phs.filter((p) => p.type === PT.INTERP);
  if (interp.length === 0) return undefined;
  if (interp.length > 1) throw malformed(`malformed ELF: ${interp.length} PT_INTERP segments (at most one is allowed)`);
  const p = interp[0]!;
  if (p.filesz === 0) throw malformed('malformed ELF: PT_INTERP segment is empty');
  return readCString(bytes, p.offset, p.offset + p.filesz, 'PT_INTERP');
}

// Maps a virtual address (as stored in DT_STRTAB etc.) to a file offset through the PT_LOAD
// segments; returns undefined when no loaded file range contains it.
export function vaddrToOffset(phs: readonly ProgramHeader[], vaddr: number, length = 1): number | undefined {
  for (const p of phs) {
    if (p.type !== PT.LOAD) continue;
    if (vaddr >= p.vaddr && vaddr + length <= p.vaddr + p.filesz) return p.offset + (vaddr - p.vaddr);
  }
  return undefined;
}

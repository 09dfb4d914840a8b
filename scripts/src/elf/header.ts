import { ElfError, hex, malformed } from './errors.ts';
import { machineName } from './machines.ts';
import { ByteReader, type ElfClass, type Endian } from './reader.ts';

export type ElfType = 'EXEC' | 'DYN' | 'REL' | 'CORE' | 'OTHER';

export interface ElfHeader {
  class: ElfClass;
  endian: Endian;
  osabi: number;
  abiVersion: number;
  type: ElfType;
  typeRaw: number;
  machine: number;
  machineName: string;
  version: number;
  entry: number;
  phoff: number;
  shoff: number;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

const MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const TYPES: Record<number, ElfType> = { 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };
const bytesHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

// e_ident decides everything else (word size, byte order), so it is validated before any other read.
function parseIdent(bytes: Uint8Array): { elfClass: ElfClass; endian: Endian } {
  if (bytes.byteLength === 0) throw new ElfError('ELF_NOT_ELF', 'not an ELF file (empty file)');
  const head = bytes.subarray(0, 4);
  if (head.length < 4 || MAGIC.some((m, i) => head[i] !== m)) {
    const prefixOk = head.every((b, i) => b === MAGIC[i]);
    if (prefixOk) throw malformed(`truncated ELF: file is only ${bytes.byteLength} bytes, shorter than the ELF identification`);
    throw new ElfError('ELF_NOT_ELF', `not an ELF file (bad magic ${bytesHex(head)})`);
  }
  if (bytes.byteLength < 16) throw malformed(`truncated ELF: file is only ${bytes.byteLength} bytes, shorter than the ELF identification`);
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 1 && cls !== 2) throw new ElfError('ELF_UNSUPPORTED', `unsupported ELF class ${cls} (expected 1 = ELF32 or 2 = ELF64)`);
  if (data !== 1 && data !== 2) throw new ElfError('ELF_UNSUPPORTED', `unsupported ELF data encoding ${data} (expected 1 = little or 2 = big endian)`);
  if (bytes[6] !== 1) throw new ElfError('ELF_UNSUPPORTED', `unsupported ELF version ${bytes[6]} in e_ident (expected 1)`);
  return { elfClass: cls === 1 ? 32 : 64, endian: data === 1 ? 'little' : 'big' };
}

// Parses the fixed ELF header; section 0 fix-ups for >65535 entries are applied later by the callers.
export function parseHeader(bytes: Uint8Array): { header: ElfHeader; reader: ByteReader } {
  const { elfClass, endian } = parseIdent(bytes);
  const r = new ByteReader(bytes, elfClass, endian);
  const is64 = elfClass === 64;
  const ehsize = is64 ? 64 : 52;
  if (bytes.byteLength < ehsize) {
    throw malformed(`truncated ELF: file is ${bytes.byteLength} bytes, shorter than the ${ehsize}-byte ELF${elfClass} header`);
  }
  const w = r.wordSize;
  const typeRaw = r.u16(16);
  const machine = r.u16(18);
  const at = 24; // e_entry
  const header: ElfHeader = {
    class: elfClass,
    endian,
    osabi: bytes[7] ?? 0,
    abiVersion: bytes[8] ?? 0,
    type: TYPES[typeRaw] ?? 'OTHER',
    typeRaw,
    machine,
    machineName: machineName(machine),
    version: r.u32(20),
    entry: r.word(at),
    phoff: r.offsetWord(at + w, 'program header offset (e_phoff)'),
    shoff: r.offsetWord(at + 2 * w, 'section header offset (e_shoff)'),
    flags: r.u32(at + 3 * w),
    ehsize: r.u16(at + 3 * w + 4),
    phentsize: r.u16(at + 3 * w + 6),
    phnum: r.u16(at + 3 * w + 8),
    shentsize: r.u16(at + 3 * w + 10),
    shnum: r.u16(at + 3 * w + 12),
    shstrndx: r.u16(at + 3 * w + 14),
  };
  const minPh = is64 ? 56 : 32;
  const minSh = is64 ? 64 : 40;
  if (header.phnum > 0 && header.phentsize < minPh) {
    throw malformed(`malformed ELF: program header entry size ${header.phentsize} is smaller than ${minPh}`);
  }
  if (header.shoff !== 0 && header.shentsize < minSh) {
    throw malformed(`malformed ELF: section header entry size ${header.shentsize} is smaller than ${minSh} (e_shoff ${hex(header.shoff)})`);
  }
  return { header, reader: r };
}

import { checkRange, hex, malformed } from './errors.ts';

export type ElfClass = 32 | 64;
export type Endian = 'little' | 'big';

/** Bounds-checked, endian-aware view over the file. Every read is checked against the buffer so
 * a hostile or truncated file produces an ElfError, never a RangeError from DataView. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly littleEndian: boolean;
  readonly elfClass: ElfClass;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, elfClass: ElfClass, endian: Endian) {
    this.bytes = bytes;
    this.size = bytes.byteLength;
    this.elfClass = elfClass;
    this.littleEndian = endian === 'little';
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  // Word size of the class: 4 for ELF32, 8 for ELF64 (addresses, offsets, dynamic values).
  get wordSize(): 4 | 8 {
    return this.elfClass === 64 ? 8 : 4;
  }

  private need(offset: number, n: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + n > this.size) {
      throw malformed(`truncated ELF: read of ${n} bytes at offset ${hex(offset)} is outside the file (size ${this.size})`);
    }
  }

  // Single byte fields (e_ident, st_info) need the same bounds check as wider fields.
  u8(offset: number): number {
    this.need(offset, 1);
    return this.view.getUint8(offset);
  }

  // 16-bit field in file byte order.
  u16(offset: number): number {
    this.need(offset, 2);
    return this.view.getUint16(offset, this.littleEndian);
  }

  // 32-bit field in file byte order.
  u32(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, this.littleEndian);
  }

  // 64-bit field as bigint; used where the exact value matters.
  u64(offset: number): bigint {
    this.need(offset, 8);
    return this.view.getBigUint64(offset, this.littleEndian);
  }

  // Class-sized word as a bigint (Elf32_Word/Elf64_Xword, addresses).
  wordBig(offset: number): bigint {
    return this.elfClass === 64 ? this.u64(offset) : BigInt(this.u32(offset));
  }

  // Class-sized word as a number. Addresses above 2^53 (kernel space only) lose precision, which is
  // acceptable for user-space executables; use `offsetWord` when the value must index the file.
  word(offset: number): number {
    return Number(this.wordBig(offset));
  }

  // A word used as a file offset or size must be an exact integer, or the file is malformed.
  offsetWord(offset: number, what: string): number {
    const v = this.wordBig(offset);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(`malformed ELF: ${what} ${hex(v)} is larger than any file`);
    return Number(v);
  }

  // Region check with a descriptive name, delegated to errors.ts so messages stay uniform.
  checkRange(offset: number, size: number, what: string): void {
    checkRange(this.size, offset, size, what);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });

// NUL-terminated string at `offset`, which must end before `limit` (the end of its string table).
// Names in ELF string tables are ASCII in practice; invalid UTF-8 is replaced, not rejected.
export function readCString(bytes: Uint8Array, offset: number, limit: number, what: string): string {
  const end = Math.min(limit, bytes.byteLength);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= end) {
    throw malformed(`malformed ELF: ${what} string offset ${hex(offset)} is outside its string table (ends at ${hex(end)})`);
  }
  const nul = bytes.indexOf(0, offset);
  if (nul === -1 || nul >= end) throw malformed(`malformed ELF: ${what} string at ${hex(offset)} is not NUL-terminated`);
  return decoder.decode(bytes.subarray(offset, nul));
}

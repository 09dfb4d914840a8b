// One ustar header block (POSIX.1-1988 layout, GNU/Go-compatible checksum), plus the PAX
// extended header that carries what ustar cannot: names over 100 bytes, non-ASCII names, huge
// sizes. Every field is written from explicit values, so equal input gives equal bytes.
import { invalid } from './errors.ts';

export const BLOCK = 512;

/** Tar type flags this writer emits (and the reader recognises). */
export const TYPE = { FILE: '0', HARDLINK: '1', SYMLINK: '2', DIR: '5', PAX: 'x', PAX_GLOBAL: 'g', GNU_LONGNAME: 'L', GNU_LONGLINK: 'K' } as const;

export interface HeaderFields {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly type: string;
  readonly linkname?: string;
}

const encoder = new TextEncoder();
const MAX_OCTAL_8 = 0o7777777;
const MAX_OCTAL_12 = 0o77777777777;

// Writes `text` (truncated to the field) at `offset`; the rest of the field stays NUL.
function putString(block: Uint8Array, offset: number, width: number, text: string): void {
  block.set(encoder.encode(text).subarray(0, width), offset);
}

// Octal, zero-padded, NUL-terminated: "0000644\0". Callers check the range first.
function putOctal(block: Uint8Array, offset: number, width: number, value: number): void {
  putString(block, offset, width, `${value.toString(8).padStart(width - 1, '0')}\0`);
}

// The PAX records an entry needs: for each value or text the ustar header cannot hold (empty = none).
export function paxRecords(fields: HeaderFields): Record<string, string> {
  const records: Record<string, string> = {};
  const ascii = (s: string) => /^[\x20-\x7e]*$/.test(s);
  if (encoder.encode(fields.name).length > 100 || !ascii(fields.name)) records.path = fields.name;
  if (fields.linkname !== undefined && (encoder.encode(fields.linkname).length > 100 || !ascii(fields.linkname))) records.linkpath = fields.linkname;
  if (fields.size > MAX_OCTAL_12) records.size = String(fields.size);
  if (fields.uid > MAX_OCTAL_8) records.uid = String(fields.uid);
  if (fields.gid > MAX_OCTAL_8) records.gid = String(fields.gid);
  return records;
}

// Encodes one 512-byte header. Values that need PAX are clamped here (the PAX record wins).
export function encodeHeader(fields: HeaderFields): Uint8Array {
  if (!Number.isSafeInteger(fields.mtime) || fields.mtime < 0 || fields.mtime > MAX_OCTAL_12) {
    throw invalid(`tar: mtime ${fields.mtime} is not a whole number of seconds between 0 and ${MAX_OCTAL_12}`);
  }
  const block = new Uint8Array(BLOCK);
  putString(block, 0, 100, fields.name);
  putOctal(block, 100, 8, fields.mode & 0o7777);
  putOctal(block, 108, 8, Math.min(fields.uid, MAX_OCTAL_8));
  putOctal(block, 116, 8, Math.min(fields.gid, MAX_OCTAL_8));
  putOctal(block, 124, 12, Math.min(fields.size, MAX_OCTAL_12));
  putOctal(block, 136, 12, fields.mtime);
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  putString(block, 156, 1, fields.type);
  if (fields.linkname !== undefined) putString(block, 157, 100, fields.linkname);
  putString(block, 257, 6, 'ustar\0');
  putString(block, 263, 2, '00');
  // uname/gname (265, 297) stay empty: numeric ids only.
  putOctal(block, 329, 8, 0);
  putOctal(block, 337, 8, 0);
  let sum = 0;
  for (const byte of block) sum += byte;
  putString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

// The body of a PAX 'x' entry: "<len> <key>=<value>\n" records, keys sorted, where <len>
// counts the whole record including its own digits.
export function paxBody(records: Readonly<Record<string, string>>): Uint8Array {
  let text = '';
  for (const key of Object.keys(records).sort()) {
    const rest = ` ${key}=${records[key]}\n`;
    const restLength = encoder.encode(rest).length;
    let length = restLength + 1;
    while (String(length).length + restLength !== length) length = String(length).length + restLength;
    text += `${length}${rest}`;
  }
  return encoder.encode(text);
}

// How many zero bytes pad `size` up to a whole number of blocks.
export function paddingSize(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

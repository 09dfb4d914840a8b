// A minimal tar reader: enough to list a layer (base images' file lists, the validator, tests).
// Understands ustar (with prefix), PAX 'x' records (path, linkpath, size, uid, gid, mtime), GNU
// long names ('L'/'K') and base-256 numbers. Data is returned as views into the input, not copies.
import { invalid } from './errors.ts';
import { BLOCK, TYPE } from './tar-header.ts';

export interface TarReadEntry {
  /** The path without a leading "./" or "/" and without a trailing "/" ("." for the root). */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  /** The raw type flag character ('0', '5', '2', '3', …). */
  readonly typeflag: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  readonly mtime: number;
  readonly size: number;
  readonly linkname: string;
  readonly data: Uint8Array;
}

const decoder = new TextDecoder();

function text(block: Uint8Array, offset: number, width: number): string {
  const field = block.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

// Octal text padded with spaces/NULs, or GNU base-256 when the high bit of the first byte is set.
function number(block: Uint8Array, offset: number, width: number, what: string): number {
  const field = block.subarray(offset, offset + width);
  if ((field[0]! & 0x80) !== 0) {
    let value = field[0]! & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const digits = text(block, offset, width).trim();
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw invalid(`tar: bad ${what} field "${digits}"`);
  return parseInt(digits, 8);
}

// "<len> key=value\n" records; later keys win.
function parsePax(data: Uint8Array): Record<string, string> {
  const records: Record<string, string> = {};
  let pos = 0;
  while (pos < data.byteLength) {
    const space = data.indexOf(0x20, pos);
    const length = space === -1 ? NaN : parseInt(decoder.decode(data.subarray(pos, space)), 10);
    if (!Number.isSafeInteger(length) || length <= 0 || pos + length > data.byteLength) throw invalid('tar: malformed PAX record');
    const record = decoder.decode(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return records;
}

function kind(flag: string): TarReadEntry['type'] {
  if (flag === TYPE.FILE || flag === '\0' || flag === '' || flag === '7') return 'file';
  if (flag === TYPE.DIR) return 'dir';
  if (flag === TYPE.SYMLINK) return 'symlink';
  if (flag === TYPE.HARDLINK) return 'hardlink';
  return 'other';
}

// Every entry of an uncompressed tar archive, in archive order; throws on corrupt headers.
export function readTar(bytes: Uint8Array): TarReadEntry[] {
  const entries: TarReadEntry[] = [];
  let pos = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  while (pos + BLOCK <= bytes.byteLength) {
    const block = bytes.subarray(pos, pos + BLOCK);
    if (block.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
    const stored = number(block, 148, 8, 'checksum');
    if (stored !== sum) throw invalid(`tar: bad header checksum at offset ${pos} (stored ${stored}, computed ${sum})`);
    const flag = text(block, 156, 1);
    let size = number(block, 124, 12, 'size');
    if (flag !== TYPE.PAX && flag !== TYPE.PAX_GLOBAL && pax.size !== undefined) size = Number(pax.size);
    const dataStart = pos + BLOCK;
    if (dataStart + size > bytes.byteLength) throw invalid(`tar: entry at offset ${pos} runs past the end of the archive`);
    const data = bytes.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === TYPE.PAX) { pax = { ...pax, ...parsePax(data) }; continue; }
    if (flag === TYPE.PAX_GLOBAL) continue;
    if (flag === TYPE.GNU_LONGNAME) { longName = text(data, 0, data.byteLength); continue; }
    if (flag === TYPE.GNU_LONGLINK) { longLink = text(data, 0, data.byteLength); continue; }
    const magic = text(block, 257, 6);
    const prefix = magic.startsWith('ustar') ? text(block, 345, 155) : '';
    const rawName = pax.path ?? longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
    const path = rawName.replace(/^(\.?\/)+/, '').replace(/\/+$/, '') || '.';
    entries.push({
      path,
      type: kind(flag),
      typeflag: flag || '\0',
      mode: number(block, 100, 8, 'mode'),
      uid: pax.uid !== undefined ? Number(pax.uid) : number(block, 108, 8, 'uid'),
      gid: pax.gid !== undefined ? Number(pax.gid) : number(block, 116, 8, 'gid'),
      uname: pax.uname ?? text(block, 265, 32),
      gname: pax.gname ?? text(block, 297, 32),
      mtime: pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : number(block, 136, 12, 'mtime'),
      size,
      linkname: pax.linkpath ?? longLink ?? text(block, 157, 100),
      data,
    });
    pax = {};
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}

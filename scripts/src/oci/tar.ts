// Deterministic tar writer for image layers: entries sorted by path, every parent directory
// emitted, one mtime for everything (the caller's epoch: SOURCE_DATE_EPOCH or 0), numeric
// uid/gid only, explicit modes. Nothing is read from the disk or the clock, so equal entries give
// equal bytes on any machine, time zone or umask.
import { invalid } from './errors.ts';
import { BLOCK, TYPE, encodeHeader, paddingSize, paxBody, paxRecords } from './tar-header.ts';

interface EntryOwner {
  /** Path inside the layer; a leading "/" or "./" is dropped. */
  readonly path: string;
  readonly uid?: number;
  readonly gid?: number;
}
export interface TarFile extends EntryOwner { readonly type: 'file'; readonly data: Uint8Array; readonly mode?: number }
export interface TarDir extends EntryOwner { readonly type: 'dir'; readonly mode?: number }
export interface TarSymlink extends EntryOwner { readonly type: 'symlink'; readonly target: string }
export type TarEntry = TarFile | TarDir | TarSymlink;

/** What a header needs: a normalised path, the kind, mode, ids, size and link target. */
export interface HeaderEntry {
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink';
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly target?: string;
}

export interface TarOptions {
  /** Seconds since 1970 for every mtime (SOURCE_DATE_EPOCH, or 0). */
  readonly epoch: number;
}

const DEFAULT_MODE = { file: 0o644, dir: 0o755, symlink: 0o777 } as const;

// "/usr//bin/./x" is a mistake, not a path: reject rather than guess what was meant.
export function normalizePath(path: string): string {
  const trimmed = path.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
  const parts = trimmed.split('/');
  if (trimmed === '' || parts.some((p) => p === '' || p === '.' || p === '..') || trimmed.includes('\0')) {
    throw invalid(`tar: "${path}" is not a usable path inside a layer (empty, ".", ".." or NUL)`);
  }
  return trimmed;
}

// Validated, defaulted, sorted entries with implicit parent directories (0755, root-owned) added.
export function planEntries(entries: readonly TarEntry[]): Array<{ header: HeaderEntry; data?: Uint8Array }> {
  const byPath = new Map<string, { header: HeaderEntry; data?: Uint8Array }>();
  for (const entry of entries) {
    const path = normalizePath(entry.path);
    if (byPath.has(path)) throw invalid(`tar: "${path}" is listed twice (a layer must not repeat a path)`);
    const uid = entry.uid ?? 0;
    const gid = entry.gid ?? 0;
    if (!Number.isSafeInteger(uid) || uid < 0 || !Number.isSafeInteger(gid) || gid < 0) throw invalid(`tar: "${path}" has a bad uid/gid (${uid}/${gid})`);
    const mode = entry.type === 'symlink' ? DEFAULT_MODE.symlink : (entry.mode ?? DEFAULT_MODE[entry.type]);
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw invalid(`tar: "${path}" has a bad mode ${mode}`);
    const size = entry.type === 'file' ? entry.data.byteLength : 0;
    const target = entry.type === 'symlink' ? entry.target : undefined;
    if (target !== undefined && (target === '' || target.includes('\0'))) throw invalid(`tar: symlink "${path}" has an empty or NUL target`);
    const header: HeaderEntry = { path, type: entry.type, mode, uid, gid, size, ...(target === undefined ? {} : { target }) };
    byPath.set(path, entry.type === 'file' ? { header, data: entry.data } : { header });
  }
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const existing = byPath.get(parent);
      if (existing && existing.header.type !== 'dir') throw invalid(`tar: "${parent}" is a ${existing.header.type} but "${path}" is inside it`);
      if (!existing) byPath.set(parent, { header: { path: parent, type: 'dir', mode: DEFAULT_MODE.dir, uid: 0, gid: 0, size: 0 } });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.header.path < b.header.path ? -1 : a.header.path > b.header.path ? 1 : 0));
}

// The header block(s) of one entry: a PAX header first when ustar cannot hold a value.
export function entryHeader(entry: HeaderEntry, epoch: number): Uint8Array {
  const type = entry.type === 'file' ? TYPE.FILE : entry.type === 'dir' ? TYPE.DIR : TYPE.SYMLINK;
  const name = entry.type === 'dir' ? `${entry.path}/` : entry.path;
  const fields = { name, mode: entry.mode, uid: entry.uid, gid: entry.gid, size: entry.size, mtime: epoch, type, ...(entry.target === undefined ? {} : { linkname: entry.target }) };
  const records = paxRecords(fields);
  const main = encodeHeader(fields);
  if (Object.keys(records).length === 0) return main;
  const body = paxBody(records);
  const base = name.replace(/\/$/, '').split('/').pop() ?? 'entry';
  const paxName = `PaxHeaders.0/${base}`.slice(0, 99).replace(/[^\x20-\x7e]/g, '_');
  const pax = encodeHeader({ name: paxName, mode: 0o644, uid: 0, gid: 0, size: body.byteLength, mtime: epoch, type: TYPE.PAX });
  const out = new Uint8Array(BLOCK + body.byteLength + paddingSize(body.byteLength) + BLOCK);
  out.set(pax, 0);
  out.set(body, BLOCK);
  out.set(main, out.byteLength - BLOCK);
  return out;
}

// The whole archive in memory: headers, data padded to 512 bytes, two zero blocks at the end.
export function writeTar(entries: readonly TarEntry[], options: TarOptions): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 2 * BLOCK;
  for (const { header, data } of planEntries(entries)) {
    const head = entryHeader(header, options.epoch);
    parts.push(head);
    total += head.byteLength;
    if (data) {
      parts.push(data);
      total += data.byteLength + paddingSize(data.byteLength);
    }
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength + paddingSize(part.byteLength); // headers are whole blocks; data is padded
  }
  return out;
}

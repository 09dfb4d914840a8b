// The system half of the loader's search: /etc/ld.so.cache (parsed here, no `ldconfig -p`) and
// the directories of /etc/ld.so.conf with its `include` globs, as a fallback when there is no cache.
import { readFile, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { globToRegExp } from './glob.ts';

const NEW_MAGIC = 'glibc-ld.so.cache1.1';
const OLD_MAGIC = 'ld.so-1.7.0';

// Parses ld.so.cache bytes (new format, alone or after the old one) into soname → paths, in cache
// order (the loader's order). Malformed or unknown caches give an empty map: the loader then
// falls back to its default directories, and so do we.
export function parseLdCache(bytes: Uint8Array): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number, n: number) => String.fromCharCode(...bytes.subarray(at, at + n));
  let base = 0;
  if (ascii(0, OLD_MAGIC.length) === OLD_MAGIC) {
    if (bytes.byteLength < 16) return out;
    const oldCount = view.getUint32(12, true);
    base = (16 + oldCount * 12 + 7) & ~7;
  }
  if (base + 48 > bytes.byteLength || ascii(base, NEW_MAGIC.length) !== NEW_MAGIC) return out;
  const count = view.getUint32(base + 20, true);
  const cstr = (at: number) => {
    let end = at;
    while (end < bytes.byteLength && bytes[end] !== 0) end++;
    return end < bytes.byteLength ? new TextDecoder().decode(bytes.subarray(at, end)) : undefined;
  };
  for (let i = 0; i < count; i++) {
    const at = base + 48 + i * 24;
    if (at + 24 > bytes.byteLength) break;
    const key = cstr(base + view.getUint32(at + 4, true));
    const value = cstr(base + view.getUint32(at + 8, true));
    if (key === undefined || value === undefined) continue;
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}

// Reads the cache file, or an empty map when it is absent or unreadable.
export async function readLdCache(path = '/etc/ld.so.cache'): Promise<Map<string, string[]>> {
  try {
    return parseLdCache(new Uint8Array(await readFile(path)));
  } catch {
    return new Map();
  }
}

// The directories listed in ld.so.conf, following `include` (with globs), depth-limited.
export async function readLdConf(path = '/etc/ld.so.conf', depth = 0): Promise<string[]> {
  if (depth > 8) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const include = /^include\s+(.+)$/.exec(line);
    if (!include) {
      dirs.push(...line.split(/[\s:,]+/).filter((d) => d.startsWith('/')));
      continue;
    }
    for (const pattern of include[1]!.split(/\s+/)) {
      const full = posix.resolve(posix.dirname(path), pattern);
      const dir = posix.dirname(full);
      const re = globToRegExp(posix.basename(full));
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter((n) => re.test(n)).sort()) dirs.push(...(await readLdConf(posix.join(dir, name), depth + 1)));
    }
  }
  return dirs;
}

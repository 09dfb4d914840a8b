// Path helpers for recipes: POSIX relative paths (recipes are portable) and cargo-chef's ordering,
// which compares paths component by component (Rust's `Path` ordering), not as strings.
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';

// `a/b` < `a-c` component-wise (a < a-c), although `/` > `-` as characters.
export function comparePaths(a: string, b: string): number {
  const pa = a.split('/').filter((c) => c !== '' && c !== '.');
  const pb = b.split('/').filter((c) => c !== '' && c !== '.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

// The POSIX path of `to` relative to `from` (recipes use `/` on every host).
export function relativePosix(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

// True when `path` is `root` or below it (both absolute or both relative to the same base).
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

// A recipe path is safe when it is relative and stays inside the directory it is laid out in.
export function isSafeRelative(path: string): boolean {
  if (path === '' || isAbsolute(path) || path.includes('\0')) return false;
  const normal = posix.normalize(path.split('\\').join('/'));
  return normal !== '..' && !normal.startsWith('../');
}

// Resolves a host path the way the kernel does — one component at a time — and records every
// symlink met on the way, so the bundle can recreate the exact chain (/lib64 → usr/lib64 → …).
import { lstat, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';

export interface HostLink {
  /** Absolute path of the symlink; its parent directory is fully resolved. */
  readonly path: string;
  readonly target: string;
}

export interface WalkedPath {
  readonly links: readonly HostLink[];
  /** The path with every symlink resolved. */
  readonly real: string;
  readonly kind: 'file' | 'dir' | 'other';
  readonly size: number;
  readonly mode: number;
}

const MAX_LINKS = 40; // the kernel's MAXSYMLINKS

// Walks `path` (absolute, or relative to `cwd`) and returns its symlink chain and real path;
// a missing path or a symlink loop is one BUNDLE_INVALID line naming the original path.
export async function walkPath(path: string, cwd = process.cwd()): Promise<WalkedPath> {
  const links: HostLink[] = [];
  let pending = posix.resolve(cwd, path).split('/').filter((p) => p !== '');
  let real = '/';
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      real = posix.dirname(real);
      continue;
    }
    const next = posix.join(real, part);
    const st = await lstat(next).catch((e: NodeJS.ErrnoException) => {
      throw new BuildStaticError('BUNDLE_INVALID', `${path} does not exist (${next}: ${e.code ?? e.message}): check the path`);
    });
    if (!st.isSymbolicLink()) {
      if (pending.length > 0 && !st.isDirectory()) throw new BuildStaticError('BUNDLE_INVALID', `${path} does not exist (${next} is not a directory)`);
      real = next;
      continue;
    }
    if (++hops > MAX_LINKS) throw new BuildStaticError('BUNDLE_INVALID', `${path} is a symlink loop (more than ${MAX_LINKS} links, last ${next}): fix or remove the link`);
    const target = await readlink(next);
    links.push({ path: next, target });
    pending = [...target.split('/').filter((p) => p !== ''), ...pending];
    if (target.startsWith('/')) real = '/';
  }
  const st = await lstat(real);
  return { links, real, kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other', size: st.size, mode: st.mode & 0o7777 };
}

// True when the path exists on the host (following symlinks) without throwing.
export async function hostExists(path: string): Promise<boolean> {
  try {
    await walkPath(path);
    return true;
  } catch {
    return false;
  }
}

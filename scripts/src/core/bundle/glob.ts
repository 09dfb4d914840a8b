// Shell-style globs for --include/--exclude and ld.so.conf includes: `*`, `?`, `[...]` within one
// path component, `**` across components. Expansion walks the host without following symlinked
// directories, so a glob can never wander out through a link.
import { lstat, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';

// A RegExp for one component pattern (no `/`).
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// A RegExp for a whole path pattern (`**` matches any number of components).
export function pathGlobToRegExp(pattern: string): RegExp {
  const parts = pattern.split('/').map((p) => (p === '**' ? '(?:.*)' : globToRegExp(p).source.slice(1, -1)));
  return new RegExp(`^${parts.join('/').replace(/\/\(\?:\.\*\)\//g, '(?:/.*)?/')}$`);
}

const hasMagic = (s: string) => /[*?[]/.test(s);

// Expands an absolute glob against the host; returns matching paths, sorted. Literal
// components are taken as given (they may be symlinks: walkPath records them later).
export async function expandGlob(pattern: string, limit = 100_000): Promise<string[]> {
  if (!pattern.startsWith('/')) throw new BuildStaticError('USAGE', `--include/--exclude patterns must be absolute paths, got "${pattern}"`);
  if (!hasMagic(pattern)) return [pattern];
  const re = pathGlobToRegExp(pattern);
  const parts = pattern.split('/').filter((p) => p !== '');
  const firstMagic = parts.findIndex(hasMagic);
  const root = `/${parts.slice(0, firstMagic).join('/')}`;
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const path = posix.join(dir, name);
      if (re.test(path)) found.push(path);
      if (found.length > limit) throw new BuildStaticError('BUNDLE_INVALID', `${pattern} matches more than ${limit} files: narrow the pattern`);
      const st = await lstat(path).catch(() => undefined);
      if (st?.isDirectory() && (parts.includes('**') || path.split('/').length - 1 < parts.length)) await walk(path);
    }
  };
  await walk(root);
  return found;
}

// The bundle as data before anything is written: path → directory, file (copied from a host
// path) or symlink. Host paths go in with their whole symlink chain; nothing is ever placed
// below a symlink of the bundle, so writing it can never pass through a link.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { walkPath } from './host-path.ts';

export type TreeNode =
  | { readonly type: 'dir'; readonly mode: number }
  | { readonly type: 'file'; readonly source: string; readonly size: number; readonly mode: number }
  | { readonly type: 'symlink'; readonly target: string };

export class BundleTree {
  readonly nodes = new Map<string, TreeNode>();

  // Adds a node and its parent directories; a path already holding another kind of node, or a
  // path below a symlink, is refused (the second would write through the link).
  put(path: string, node: TreeNode): void {
    const clean = posix.normalize(path);
    if (!clean.startsWith('/') || clean.split('/').includes('..')) throw new BuildStaticError('BUNDLE_INVALID', `"${path}" is not an absolute path inside the bundle`);
    const parts = clean.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      const existing = this.nodes.get(dir);
      if (existing?.type === 'symlink') throw new BuildStaticError('BUNDLE_INVALID', `${clean} would be written through the bundle's symlink ${dir} → ${existing.target}`);
      if (existing && existing.type !== 'dir') throw new BuildStaticError('BUNDLE_INVALID', `${clean} needs ${dir} to be a directory, but it is a file in the bundle`);
      if (!existing) this.nodes.set(dir, { type: 'dir', mode: 0o755 });
    }
    if (parts.length === 0) return;
    const existing = this.nodes.get(clean);
    if (existing && existing.type !== node.type) throw new BuildStaticError('BUNDLE_INVALID', `${clean} is both a ${existing.type} and a ${node.type} in the bundle`);
    if (!existing || node.type === 'dir') this.nodes.set(clean, existing?.type === 'dir' && node.type === 'dir' ? existing : node);
  }

  // Adds a host path as the loader sees it: every symlink on the way, then the real file or dir
  // (or, with `as`, just the file at that bundle path: --install-to).
  async addHostPath(path: string, as?: string): Promise<void> {
    const walked = await walkPath(path);
    if (as !== undefined && walked.kind === 'file') return this.put(as, { type: 'file', source: walked.real, size: walked.size, mode: walked.mode });
    for (const link of walked.links) this.put(link.path, { type: 'symlink', target: link.target });
    if (walked.kind === 'dir') this.put(walked.real, { type: 'dir', mode: walked.mode });
    else if (walked.kind === 'file') this.put(walked.real, { type: 'file', source: walked.real, size: walked.size, mode: walked.mode });
    else throw new BuildStaticError('BUNDLE_INVALID', `${path} is not a regular file or directory`);
  }

  // Adds a host directory tree (certs, zoneinfo); links inside it are kept as links, not followed.
  async addHostTree(path: string, limit = 100_000): Promise<void> {
    const walked = await walkPath(path);
    await this.addHostPath(path);
    if (walked.kind !== 'dir') return;
    const stack = [walked.real];
    let count = 0;
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const name of (await readdir(dir)).sort()) {
        if (++count > limit) throw new BuildStaticError('BUNDLE_INVALID', `${path} holds more than ${limit} entries: include less`);
        const full = posix.join(dir, name);
        const st = await lstat(full);
        if (st.isSymbolicLink()) this.put(full, { type: 'symlink', target: await readlink(full) });
        else if (st.isDirectory()) {
          this.put(full, { type: 'dir', mode: st.mode & 0o7777 });
          stack.push(full);
        } else if (st.isFile()) this.put(full, { type: 'file', source: full, size: st.size, mode: st.mode & 0o7777 });
      }
    }
  }

  // Drops files and links whose bundle path matches (--exclude); directories stay.
  exclude(match: (path: string) => boolean): string[] {
    const dropped = [...this.nodes].filter(([p, n]) => n.type !== 'dir' && match(p)).map(([p]) => p);
    for (const p of dropped) this.nodes.delete(p);
    return dropped;
  }

  // Total bytes of regular files.
  size(): number {
    let total = 0;
    for (const n of this.nodes.values()) if (n.type === 'file') total += n.size;
    return total;
  }

  // Nodes sorted by path (parents before children).
  sorted(): Array<[string, TreeNode]> {
    return [...this.nodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

// Writes a BundleTree into OUT and nowhere else: OUT must be absent or an empty directory (or
// `force`), never a symlink; every file is created exclusively (never opened through a link), and
// each parent is checked to resolve inside OUT before anything is written into it.
import { constants } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import type { BundleTree } from './tree.ts';

// Makes OUT an empty directory we may write into; returns its real path and whether we made it.
export async function prepareOut(out: string, force: boolean): Promise<{ root: string; created: boolean }> {
  const abs = posix.resolve(out);
  const st = await lstat(abs).catch(() => undefined);
  if (!st) {
    await mkdir(abs).catch((e: NodeJS.ErrnoException) => {
      throw new BuildStaticError('BUNDLE_INVALID', `cannot create ${out} (${e.code ?? e.message}): its parent directory must exist and be writable`);
    });
    return { root: await realpath(abs), created: true };
  }
  if (st.isSymbolicLink()) throw new BuildStaticError('BUNDLE_INVALID', `${out} is a symlink: give a real directory as OUT`);
  if (!st.isDirectory()) throw new BuildStaticError('BUNDLE_INVALID', `${out} exists and is not a directory: choose another OUT`);
  const entries = await readdir(abs);
  if (entries.length > 0 && !force) throw new BuildStaticError('BUNDLE_INVALID', `${out} is not empty: choose an empty OUT or pass --force to replace its contents`);
  for (const name of entries) await rm(posix.join(abs, name), { recursive: true, force: true });
  return { root: await realpath(abs), created: false };
}

async function insideRoot(root: string, dir: string): Promise<void> {
  const real = await realpath(dir);
  if (real !== root && !real.startsWith(`${root}/`)) throw new BuildStaticError('BUNDLE_INVALID', `refusing to write to ${dir}: it resolves outside the bundle (${real})`);
}

// Writes every node (parents first). Directories get their modes last, so a read-only
// directory does not stop its own children from being written.
export async function writeTree(root: string, tree: BundleTree): Promise<void> {
  const dirModes: Array<[string, number]> = [];
  for (const [path, node] of tree.sorted()) {
    const dest = posix.join(root, path);
    await insideRoot(root, posix.dirname(dest));
    if (node.type === 'dir') {
      await mkdir(dest);
      dirModes.push([dest, node.mode]);
    } else if (node.type === 'symlink') await symlink(node.target, dest);
    else {
      await copyFile(node.source, dest, constants.COPYFILE_EXCL);
      await chmod(dest, node.mode);
    }
  }
  for (const [dest, mode] of dirModes.reverse()) await chmod(dest, mode | 0o700);
}

// Undoes a failed write: removes what was written (and OUT itself when we created it).
export async function cleanOut(root: string, created: boolean): Promise<void> {
  if (created) await rm(root, { recursive: true, force: true });
  else for (const name of await readdir(root).catch(() => [] as string[])) await rm(posix.join(root, name), { recursive: true, force: true });
}

// File-system helpers shared by the core: the cache directory and all-or-nothing writes.
import { mkdir, rename, rm, writeFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';

// Where build-static keeps generated toolchain wrappers and libraries, outside any project.
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BUILD_STATIC_CACHE) return env.BUILD_STATIC_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'build-static');
}

// cargo's home (CARGO_HOME, else $HOME/.cargo), where rustup's proxies and the crates cargo
// unpacks live; undefined when neither is set.
export function cargoHome(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.CARGO_HOME || (env.HOME ? join(env.HOME, '.cargo') : undefined);
}

// Writes a file via a temp sibling and rename, so readers never see half a file; the temp file
// is removed on every failure (a full disk, a directory in the way).
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(tmp, data, mode === undefined ? undefined : { mode });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

// True when the path exists (file or directory), without throwing.
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

// Removes a path if present; used to clean temp outputs after a failure.
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

// Finds an executable on PATH without spawning anything (like `command -v`).
export async function which(command: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (command.includes('/')) return (await exists(command)) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      const s = await stat(candidate);
      if (s.isFile() && (s.mode & 0o111) !== 0) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// The libgcc_s.so.1 stand-in a dynamic musl Rust build links against and the musl+libgcc base
// carries, built once per architecture into the cache (temp + rename, so a crash leaves none).
import { mkdir, rename, symlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { CommandError, probe, runStep, type Step } from '../exec/exec.ts';
import { cacheDir, exists } from '../fs.ts';
import type { MatrixArch } from './bases.ts';
import { planLibgccShim, TRIPLES } from './variants.ts';

// The directory the stand-in lives in (with a libgcc_s.so link for the linker's -lgcc_s).
export function libgccShimDir(arch: MatrixArch, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'matrix', 'libgcc-shim', TRIPLES['musl-dynamic'][arch]);
}

async function rustSysroot(): Promise<string> {
  const out = await probe(['rustc', '--print', 'sysroot']);
  if (!out) throw new BuildStaticError('TOOL_MISSING', 'the libgcc_s stand-in is built from the musl target of rustc on PATH: install Rust (rustup) and its musl targets');
  return out.trim();
}

// The plan for one architecture's stand-in (what --dry-run prints).
export async function libgccShimStep(arch: MatrixArch): Promise<Step> {
  return planLibgccShim(arch, await rustSysroot(), join(libgccShimDir(arch), 'libgcc_s.so.1'));
}

// Returns the stand-in's path, building it first when the cache has none.
export async function ensureLibgccShim(arch: MatrixArch, signal?: AbortSignal): Promise<string> {
  const dir = libgccShimDir(arch);
  const lib = join(dir, 'libgcc_s.so.1');
  if (await exists(lib)) return lib;
  await mkdir(dir, { recursive: true });
  const tmp = `${lib}.tmp-${process.pid}`;
  const step = planLibgccShim(arch, await rustSysroot(), tmp);
  try {
    await runStep(step, signal ? { signal } : {});
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof CommandError) throw new BuildStaticError('TOOL_MISSING', `building the libgcc_s.so.1 stand-in for ${arch} failed (${e.message}): install musl-tools and musl-dev:arm64`, { cause: e });
    throw e;
  }
  await rm(join(dir, 'libgcc_s.so'), { force: true });
  await symlink('libgcc_s.so.1', join(dir, 'libgcc_s.so')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  await rename(tmp, lib);
  return lib;
}

// mimalloc for programs that never mention it: a copy of the target's musl libc.a whose malloc
// family is replaced by mimalloc built with MI_MALLOC_OVERRIDE. Linked first (`-L native=DIR`),
// it serves every malloc in the program — Rust's System allocator and C code alike — without
// source changes (the approach Tweag measured: 92 s → 3.8 s). Built from libmimalloc-sys's C
// sources with the target's musl compiler, once per (libc.a, flavor, compiler); cached.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { runStep } from '../exec/exec.ts';
import { cacheDir, exists, removeQuietly } from '../fs.ts';
import type { Platform } from '../platform.ts';
import { stdFromSource } from './rust.ts';

export const MIMALLOC_SYS_VERSION = '0.1.49';
export type MimallocFlavor = 'mimalloc' | 'mimalloc-secure';

// The mimalloc C sources (libmimalloc-sys's vendored copy), fetched once with `cargo vendor`.
export async function mimallocSources(cargo: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const root = join(cacheDir(env), 'mimalloc', `libmimalloc-sys-${MIMALLOC_SYS_VERSION}`);
  const c = join(root, 'c_src', 'mimalloc', 'v3');
  if (await exists(join(c, 'src', 'static.c'))) return c;
  const crate = await mkdtemp(join(cacheDir(env), 'mimalloc-fetch-'));
  try {
    await mkdir(join(crate, 'src'), { recursive: true });
    await writeFile(join(crate, 'src', 'lib.rs'), '');
    await writeFile(join(crate, 'Cargo.toml'), `[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nlibmimalloc-sys = "=${MIMALLOC_SYS_VERSION}"\n`);
    await runStep({ argv: [cargo, 'vendor', '--versioned-dirs', '--manifest-path', join(crate, 'Cargo.toml'), join(crate, 'vendor')], cwd: crate });
    await mkdir(join(cacheDir(env), 'mimalloc'), { recursive: true });
    await rename(join(crate, 'vendor', `libmimalloc-sys-${MIMALLOC_SYS_VERSION}`), root).catch(async (e) => {
      if (!(await exists(join(c, 'src', 'static.c')))) throw e;
    });
  } catch (error) {
    throw new BuildStaticError('TOOLCHAIN_MISSING', `cannot fetch mimalloc's sources (libmimalloc-sys ${MIMALLOC_SYS_VERSION}) from the crates registry: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  } finally {
    await removeQuietly(crate);
  }
  return c;
}

// The release optimisation and defines of libmimalloc-sys's build, with the override (and secure)
// defines; shared with the LD_PRELOAD build (mimalloc-shared.ts) so the two flavors cannot drift.
export function mimallocReleaseFlags(flavor: MimallocFlavor): string[] {
  return ['-O3', '-DNDEBUG', '-DMI_BUILD_RELEASE', '-DMI_DEBUG=0', '-DMI_MALLOC_OVERRIDE', ...(flavor === 'mimalloc-secure' ? ['-DMI_SECURE=4'] : [])];
}

// Compile flags matching libmimalloc-sys's release build, plus the override (and secure) defines.
export function mimallocCompileArgs(cc: string, sources: string, flavor: MimallocFlavor, out: string): string[] {
  return [
    cc, ...mimallocReleaseFlags(flavor),
    '-fno-builtin-malloc', '-ftls-model=initial-exec', '-Wno-error=date-time',
    '-I', join(sources, 'include'), '-I', join(sources, 'src'), '-c', join(sources, 'src', 'static.c'), '-o', out,
  ];
}

async function definedGlobals(nm: string, file: string, archive: boolean): Promise<Array<[string, string]>> {
  const { stdout } = await runStep({ argv: [nm, ...(archive ? ['-A'] : []), '--defined-only', '-g', file] });
  return stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length === 3).map((p) => [archive ? (p[0]!.split(':')[1] ?? '') : '', p[2]!] as [string, string]);
}

// Returns a directory holding libc.a = `libcSource` without the members that define anything
// mimalloc defines (malloc, free, calloc, …, strdup), plus mimalloc's object.
export async function prepareMimallocLibc(
  platform: Platform,
  flavor: MimallocFlavor,
  tools: { cc: string; ar: string; cargo: string },
  libcSource: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (!(await exists(libcSource))) throw new BuildStaticError('LINKER_MISSING', `no musl libc.a for ${platform.id} at ${libcSource}: run ./setup.sh`);
  const sources = await mimallocSources(tools.cargo, env);
  const key = createHash('sha256').update(await readFile(libcSource)).update(flavor).update(tools.cc).update(MIMALLOC_SYS_VERSION).digest('hex').slice(0, 16);
  const dir = join(cacheDir(env), 'cross', platform.triple, `libc-${flavor}-${key}`);
  if (await exists(join(dir, 'libc.a'))) return dir;
  await mkdir(join(cacheDir(env), 'cross', platform.triple), { recursive: true });
  const work = await mkdtemp(join(cacheDir(env), 'cross', platform.triple, 'tmp-'));
  const nm = tools.ar.replace(/-ar$/, '-nm');
  try {
    const object = join(work, 'mimalloc.o');
    await runStep({ argv: mimallocCompileArgs(tools.cc, sources, flavor, object) });
    const libc = join(work, 'libc.a');
    await copyFile(libcSource, libc);
    const ours = new Set((await definedGlobals(nm, object, false)).map(([, s]) => s));
    const members = [...new Set((await definedGlobals(nm, libc, true)).filter(([, s]) => ours.has(s)).map(([m]) => m))].sort();
    for (const member of members) {
      // An archive may hold several members of one name (musl has two free.lo): delete until gone.
      for (let i = 0; i < 8 && (await runStep({ argv: [tools.ar, 't', libc] })).stdout.split('\n').includes(member); i++) {
        await runStep({ argv: [tools.ar, 'd', libc, member] });
      }
    }
    await runStep({ argv: [tools.ar, 'qs', libc, object] });
    await rename(work, dir).catch(async (error) => {
      if (!(await exists(join(dir, 'libc.a')))) throw error;
    });
  } finally {
    await removeQuietly(work);
  }
  return dir;
}

// Where the musl libc.a the link would use lives: rustup's self-contained copy, or Debian's musl.
export function muslLibcPath(platform: Platform, sysroot: string, std: string): string {
  return stdFromSource(std) ? `/usr/lib/${platform.muslTriplet}/libc.a` : join(sysroot, 'lib', 'rustlib', platform.triple, 'lib', 'self-contained', 'libc.a');
}

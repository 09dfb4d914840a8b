// --preload: libraries the loader maps before the program's own (LD_PRELOAD) — `mimalloc` or
// `mimalloc-secure` (built for the executables' platform and libc by toolchain/mimalloc-shared.ts,
// placed at /usr/lib/mimalloc/) or the path of any shared library (bundled at its host path).
// Everything is checked before OUT is touched: the executables must be dynamic programs of one
// machine and one libc (glibc or musl), and a given library must be a shared object for them.
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { classifyLinkage, DF_1, type Elf } from '../../elf/index.ts';
import { PLATFORMS } from '../platform.ts';
import { MIMALLOC_LIB_DIR, buildSharedMimalloc, type MimallocLibc } from '../toolchain/mimalloc-shared.ts';
import { readElf } from './resolve.ts';

export const PRELOAD_NAMES = ['mimalloc', 'mimalloc-secure'] as const;

export interface Preload {
  /** What was asked for: a name or a path. */
  readonly spec: string;
  /** The host file to copy. */
  readonly source: string;
  /** Where it is in the bundle (what LD_PRELOAD names). */
  readonly at: string;
  /** True when `source` is build-static's cached build (not a host path the bundle mirrors). */
  readonly built: boolean;
}

// The C library an executable's loader belongs to, from its PT_INTERP.
export function loaderLibc(interpreter: string): MimallocLibc | undefined {
  const name = posix.basename(interpreter);
  if (/^ld-musl-[\w-]+\.so\.1$/.test(name)) return 'musl';
  if (/^ld-linux[\w.-]*\.so\.\d$|^ld64\.so\.\d$|^ld\.so\.\d$/.test(name)) return 'glibc';
  return undefined;
}

function preloadTarget(exes: ReadonlyArray<{ path: string; elf: Elf }>): { elf: Elf; libc: MimallocLibc } {
  let libc: MimallocLibc | undefined;
  for (const { path, elf } of exes) {
    const interp = classifyLinkage(elf).interpreter;
    if (!interp) throw new BuildStaticError('BUNDLE_INVALID', `--preload needs dynamically linked executables: ${path} is ${elf.type === 'DYN' && !elf.isPie ? 'a shared library' : 'static'} (no ELF interpreter), so no loader reads LD_PRELOAD`);
    const own = loaderLibc(interp);
    if (!own) throw new BuildStaticError('BUNDLE_INVALID', `--preload knows glibc and musl programs; ${path}'s loader ${interp} is neither`);
    if (libc && own !== libc) throw new BuildStaticError('BUNDLE_INVALID', `--preload needs executables of one C library: ${path} is ${own}, the others ${libc}`);
    if (elf.machine !== exes[0]!.elf.machine || elf.class !== exes[0]!.elf.class) throw new BuildStaticError('BUNDLE_INVALID', `--preload needs executables of one machine: ${path} is ${elf.machineName}, ${exes[0]!.path} ${exes[0]!.elf.machineName}`);
    libc = own;
  }
  return { elf: exes[0]!.elf, libc: libc! };
}

async function pathPreload(spec: string, target: { elf: Elf; libc: MimallocLibc }): Promise<Preload> {
  const source = posix.resolve(spec);
  const elf = await readElf(source);
  if (elf.type !== 'DYN' || ((elf.dynamic?.flags1 ?? 0) & DF_1.PIE) !== 0) throw new BuildStaticError('BUNDLE_INVALID', `--preload ${spec} is not a shared library (ELF type ${elf.type}${elf.type === 'DYN' ? ', a PIE executable' : ''}): give a .so`);
  if (elf.machine !== target.elf.machine || elf.class !== target.elf.class) throw new BuildStaticError('BUNDLE_INVALID', `--preload ${spec} is an ELF${elf.class} ${elf.machineName} library but the executables are ELF${target.elf.class} ${target.elf.machineName}: give the library built for ${target.elf.machineName}`);
  const needed = classifyLinkage(elf).needed;
  const other = target.libc === 'glibc' ? needed.find((n) => n === 'libc.so' || n.startsWith('ld-musl-')) : needed.find((n) => n === 'libc.so.6');
  if (other) throw new BuildStaticError('BUNDLE_INVALID', `--preload ${spec} needs ${other}, another C library than the executables' ${target.libc}: build it against ${target.libc}`);
  return { spec, source, at: source, built: false };
}

// Resolves every --preload into a file to bundle and its LD_PRELOAD path (building mimalloc when
// named); throws one BUNDLE_INVALID/USAGE line for anything it cannot preload into the executables.
export async function resolvePreloads(specs: readonly string[], exes: ReadonlyArray<{ path: string; elf: Elf }>, env: NodeJS.ProcessEnv): Promise<Preload[]> {
  if (specs.length === 0) return [];
  for (const spec of specs) {
    if (!spec.includes('/') && !(PRELOAD_NAMES as readonly string[]).includes(spec)) {
      throw new BuildStaticError('USAGE', `unknown --preload "${spec}": use ${PRELOAD_NAMES.join(' or ')}, or the path of a shared library (e.g. ./libfoo.so)`);
    }
  }
  const named = specs.filter((s) => !s.includes('/'));
  if (new Set(named).size > 1) throw new BuildStaticError('USAGE', `--preload ${named.join(' and ')}: pick one mimalloc flavor (two allocators cannot both own malloc)`);
  const target = preloadTarget(exes);
  const out: Preload[] = [];
  for (const spec of [...new Set(specs)]) {
    if (spec.includes('/')) {
      out.push(await pathPreload(spec, target));
      continue;
    }
    const platform = PLATFORMS.find((p) => p.elfMachine === target.elf.machine && target.elf.class === 64);
    if (!platform) throw new BuildStaticError('BUNDLE_INVALID', `--preload ${spec} is built for ${PLATFORMS.map((p) => p.id).join(' and ')}; the executables are ELF${target.elf.class} ${target.elf.machineName}: give a library path instead`);
    const lib = await buildSharedMimalloc(platform, spec as (typeof PRELOAD_NAMES)[number], { libc: target.libc, env });
    out.push({ spec, source: lib.path, at: posix.join(MIMALLOC_LIB_DIR, lib.fileName), built: true });
  }
  return out;
}

// The LD_PRELOAD value for the image config and the chroot test (glibc and musl split on ':').
export function preloadValue(preloads: readonly Preload[]): string {
  return preloads.map((p) => p.at).join(':');
}

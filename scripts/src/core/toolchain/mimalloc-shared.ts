// mimalloc as a shared library for LD_PRELOAD (`libmimalloc.so`, `libmimalloc-secure.so`): built
// from the same libmimalloc-sys C sources and release flags as the link-time override
// (mimalloc.ts), compiled the way mimalloc's CMake builds its shared target — one object
// (static.c), -fPIC, MI_SHARED_LIB(+_EXPORT), hidden visibility with the malloc family exported,
// initial-exec TLS (also what CMake picks for musl's dynamic build). Not CMake's arm64
// `-march=armv8.1-a`: like libmimalloc-sys we keep every ARMv8.0 core (gcc's outline atomics
// still use LSE where the CPU has it). glibc flavor with the GNU cross gcc, musl flavor with the
// musl wrapper; cached per (sources, flags, compiler) and ELF-checked on every use.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename } from 'node:fs/promises';
import { join, relative } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { classifyLinkage, readElfFile, symbolNames, type Elf } from '../../elf/index.ts';
import { probe, runStep } from '../exec/exec.ts';
import { cacheDir, exists, removeQuietly, which } from '../fs.ts';
import type { Platform } from '../platform.ts';
import { hostDebArch, prepareCToolchain } from './c-toolchain.ts';
import { MIMALLOC_SYS_VERSION, mimallocReleaseFlags, mimallocSources, type MimallocFlavor } from './mimalloc.ts';

export type MimallocLibc = 'glibc' | 'musl';

/** Where the libraries live in images and bundles. */
export const MIMALLOC_LIB_DIR = '/usr/lib/mimalloc';
/** The symbols an LD_PRELOAD allocator must export to take over; checked after every build. */
export const PRELOAD_EXPORTS = ['malloc', 'free', 'calloc', 'realloc', 'posix_memalign', 'aligned_alloc', 'malloc_usable_size', 'mi_version'] as const;

export interface SharedMimalloc {
  /** The cached library on this machine. */
  readonly path: string;
  /** mimalloc's C sources it was built from (holds LICENSE). */
  readonly sources: string;
  /** `libmimalloc.so` or `libmimalloc-secure.so`. */
  readonly fileName: string;
  readonly soname: string;
  /** mimalloc's own version, e.g. `3.3.2`. */
  readonly version: string;
  readonly platform: Platform;
  readonly flavor: MimallocFlavor;
  readonly libc: MimallocLibc;
  readonly elf: Elf;
}

// `libmimalloc.so` / `libmimalloc-secure.so`, as CMake names its release output.
export function sharedFileName(flavor: MimallocFlavor): string {
  return flavor === 'mimalloc-secure' ? 'libmimalloc-secure.so' : 'libmimalloc.so';
}

// mimalloc's version from its header (MI_MALLOC_VERSION 30302 → "3.3.2").
export async function mimallocVersion(sources: string): Promise<string> {
  const header = await readFile(join(sources, 'include', 'mimalloc.h'), 'utf8');
  const n = Number(/#define\s+MI_MALLOC_VERSION\s+(\d+)/.exec(header)?.[1]);
  if (!Number.isInteger(n) || n <= 0) throw new BuildStaticError('TOOLCHAIN_MISSING', `cannot read MI_MALLOC_VERSION from ${sources}/include/mimalloc.h: delete ${sources} to fetch it again`);
  return `${Math.floor(n / 10000)}.${Math.floor(n / 100) % 100}.${n % 100}`;
}

// The compile-and-link command for one shared library (argv; run with SOURCE_DATE_EPOCH=0 so
// __DATE__ in mimalloc's verbose banner, and so the bytes, do not depend on the day).
export function mimallocSharedArgs(cc: string, sources: string, flavor: MimallocFlavor, libc: MimallocLibc, soname: string, out: string): string[] {
  return [
    cc, ...mimallocReleaseFlags(flavor), '-DMI_CMAKE_BUILD_TYPE=release', '-DMI_SHARED_LIB', '-DMI_SHARED_LIB_EXPORT', ...(libc === 'musl' ? ['-DMI_LIBC_MUSL=1'] : []),
    '-fPIC', '-shared', '-fvisibility=hidden', '-ftls-model=initial-exec', '-fno-builtin-malloc', '-Wno-unknown-pragmas', '-Wno-error=date-time',
    `-ffile-prefix-map=${sources}=mimalloc`, '-I', join(sources, 'include'), '-I', join(sources, 'src'),
    `-Wl,-soname,${soname}`, '-Wl,--as-needed', '-o', out, join(sources, 'src', 'static.c'),
  ];
}

async function compilerFor(platform: Platform, libc: MimallocLibc, env: NodeJS.ProcessEnv): Promise<string> {
  if (libc === 'musl') return (await prepareCToolchain(platform, 'prebuilt', env)).cc;
  const gcc = await which(`${platform.gnuTriplet}-gcc`, env);
  if (gcc) return gcc;
  const pkg = platform.debArch === hostDebArch() ? 'gcc' : `gcc-${platform.gnuTriplet}`;
  throw new BuildStaticError('LINKER_MISSING', `no glibc C compiler for ${platform.id}: ${platform.gnuTriplet}-gcc is not on PATH (install Debian's ${pkg}, or run ./setup.sh)`);
}

async function treeHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) hash.update(relative(root, full)).update('\0').update(await readFile(full)).update('\0');
    }
  };
  for (const sub of ['include', 'src']) await walk(join(root, sub));
  return hash.digest('hex');
}

// Throws VERIFY_FAILED unless `elf` is a shared library for the platform that exports the
// allocator and loads nothing but the C library.
export function checkSharedMimalloc(elf: Elf, path: string, platform: Platform, libc: MimallocLibc): void {
  const fail = (why: string) => new BuildStaticError('VERIFY_FAILED', `${path} is not a usable LD_PRELOAD mimalloc for ${platform.id}: ${why}`);
  if (elf.machine !== platform.elfMachine) throw fail(`it is a ${elf.machineName} ELF, not ${platform.elfMachineName}`);
  if (elf.type !== 'DYN' || elf.interpreter !== undefined) throw fail(`it is not a shared library (type ${elf.type}${elf.interpreter ? `, interpreter ${elf.interpreter}` : ''})`);
  const exported = symbolNames(elf.dynamicSymbols, 'defined');
  const missing = PRELOAD_EXPORTS.filter((s) => !exported.has(s));
  if (missing.length > 0) throw fail(`it does not export ${missing.join(', ')}`);
  const allowed = libc === 'glibc' ? /^(libc\.so\.6|ld-linux-[\w-]+\.so\.\d)$/ : /^libc\.so$/;
  const extra = classifyLinkage(elf).needed.filter((n) => !allowed.test(n));
  if (extra.length > 0) throw fail(`it needs ${extra.join(', ')} besides ${libc}'s libc`);
}

// Builds (or finds in the cache) one flavor of the LD_PRELOAD library for a platform and libc.
export async function buildSharedMimalloc(
  platform: Platform,
  flavor: MimallocFlavor,
  options: { libc?: MimallocLibc; cargo?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<SharedMimalloc> {
  const env = options.env ?? process.env;
  const libc = options.libc ?? 'glibc';
  const cargo = options.cargo ?? env.CARGO ?? (await which('cargo', env)) ?? '/usr/bin/cargo';
  const sources = await mimallocSources(cargo, env);
  const [cc, version] = await Promise.all([compilerFor(platform, libc, env), mimallocVersion(sources)]);
  const fileName = sharedFileName(flavor);
  const soname = `${fileName}.${version.split('.')[0]}`;
  const identity = (await probe([cc, '--version'])) ?? '';
  const key = createHash('sha256')
    .update(JSON.stringify(mimallocSharedArgs(cc, '<src>', flavor, libc, soname, '<out>')))
    .update(identity).update(await treeHash(sources)).update(MIMALLOC_SYS_VERSION)
    .digest('hex').slice(0, 16);
  const parent = join(cacheDir(env), 'mimalloc', 'shared', `${platform.slug}-${libc}`);
  const dir = join(parent, `${flavor}-${key}`);
  const path = join(dir, fileName);
  if (!(await exists(path))) {
    await mkdir(parent, { recursive: true });
    const work = await mkdtemp(join(parent, 'tmp-'));
    try {
      await runStep({ argv: mimallocSharedArgs(cc, sources, flavor, libc, soname, join(work, fileName)), env: { SOURCE_DATE_EPOCH: '0' } });
      await rename(work, dir).catch(async (error) => {
        if (!(await exists(path))) throw error;
      });
    } finally {
      await removeQuietly(work);
    }
  }
  const { elf } = await readElfFile(path);
  checkSharedMimalloc(elf, path, platform, libc);
  return { path, sources, fileName, soname, version, platform, flavor, libc, elf };
}

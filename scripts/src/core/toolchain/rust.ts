// Finds a Rust toolchain that can build for a musl target, in the order a user would want:
// one that already has the target's std, then `rustup target add`, then building std from the
// toolchain's rust-src with -Zbuild-std. Reports which path it took and why.
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { probe } from '../exec/exec.ts';
import { cargoHome, exists, which } from '../fs.ts';

export interface RustToolchain {
  readonly rustc: string;
  readonly cargo: string;
  readonly sysroot: string;
  /** `1.96.0` */
  readonly version: string;
  /** The `rustc -V` line. */
  readonly description: string;
  /** Where it was found: `BUILD_STATIC_RUSTC`, `PATH` or a well-known path. */
  readonly origin: string;
  /** rustup toolchain name when rustup manages it. */
  readonly rustupName?: string;
}

export type StdSource = 'prebuilt' | 'rustup' | 'sysroot' | 'build-std';

// True when std is compiled here from rust-src (once into a cached sysroot, or in every build with
// -Zbuild-std): such a std links against Debian's musl and our libunwind, not rustc's self-contained copies.
export function stdFromSource(std: string): boolean {
  return std === 'sysroot' || std === 'build-std';
}

export interface TargetToolchain {
  readonly toolchain: RustToolchain;
  readonly std: StdSource;
  /** Why this path was taken, for the summary and build-static.json. */
  readonly notes: readonly string[];
  /** Why this toolchain (rust-version, pin, default), for the `toolchain:` line and build-static.json. */
  readonly reason?: string;
  /** For `sysroot`: the cached sysroot holding std for the target (passed as --sysroot). */
  readonly stdSysroot?: string;
}

export interface ResolveOptions {
  readonly cwd: string;
  /** `auto` tries prebuilt → rustup → build-std; the others force a path. */
  readonly std?: 'auto' | StdSource;
  readonly env?: NodeJS.ProcessEnv;
}

// Where rustup (as installed by its own installer or setup.sh) and distributions put rustc, for a
// shell whose PATH does not have ~/.cargo/bin yet (right after a first ./setup.sh).
function wellKnownRustc(env: NodeJS.ProcessEnv): string[] {
  const home = cargoHome(env);
  return [...(home ? [join(home, 'bin', 'rustc')] : []), '/usr/bin/rustc', '/usr/local/bin/rustc'];
}

// Probes one rustc and returns the real binaries behind it (bypassing rustup's proxies so the
// toolchain cannot change between probe and build).
export async function probeRustc(rustc: string, cwd: string, origin: string): Promise<RustToolchain | undefined> {
  const sysroot = (await probe([rustc, '--print', 'sysroot'], cwd))?.trim();
  if (!sysroot) return undefined;
  // The first run let a proxy settle (or install) the toolchain; ask the real rustc behind it.
  const realRustc = (await exists(join(sysroot, 'bin', 'rustc'))) ? join(sysroot, 'bin', 'rustc') : rustc;
  const verbose = await probe([realRustc, '-vV'], cwd);
  if (!verbose) return undefined;
  const description = verbose.split('\n')[0] ?? '';
  const version = /release: (\S+)/.exec(verbose)?.[1] ?? 'unknown';
  const cargo = (await exists(join(sysroot, 'bin', 'cargo'))) ? join(sysroot, 'bin', 'cargo') : join(dirname(realRustc), 'cargo');
  const rustupName = /[/\\]toolchains[/\\]([^/\\]+)$/.exec(sysroot)?.[1];
  return { rustc: realRustc, cargo, sysroot, version, description, origin, ...(rustupName ? { rustupName } : {}) };
}

/** The machine's toolchains, found in order: the default one at once, the others only when asked. */
export interface ToolchainSearch {
  /** The default toolchain (the project's own via rustup, or PATH's rustc), or the first one found. */
  readonly first: RustToolchain | undefined;
  /** Every distinct toolchain, `first` first; the others are probed on the first call. */
  all(): Promise<RustToolchain[]>;
}

// Finds the default toolchain and defers the rest: a build whose default toolchain fits never
// waits for the others (Debian's /usr/bin/rustc alone takes 0.3 s to answer `--print sysroot`).
export async function searchToolchains(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ToolchainSearch> {
  // BUILD_STATIC_RUSTC (colon-separated rustc paths) replaces the search, to pin a toolchain.
  const pinned = env.BUILD_STATIC_RUSTC?.split(':').filter((p) => p !== '') ?? [];
  const candidates: Array<[string, string]> = pinned.length > 0
    ? pinned.map((p) => [p, 'BUILD_STATIC_RUSTC'])
    : [['rustc', 'PATH'], ...wellKnownRustc(env).map((p): [string, string] => [p, p])];
  // `rustc` on PATH is usually ~/.cargo/bin/rustc, a well-known path too: each file is probed once.
  const files = await Promise.all(candidates.map(async ([rustc]) => (await which(rustc, env)) ?? rustc));
  const distinct = candidates.filter((_, i) => files.indexOf(files[i] as string) === i);
  let next = 0;
  let first: RustToolchain | undefined;
  while (!first && next < distinct.length) {
    const [rustc, origin] = distinct[next++] as [string, string];
    first = await probeRustc(rustc, cwd, origin);
  }
  const rest = distinct.slice(next);
  let all: Promise<RustToolchain[]> | undefined;
  return { first, all: () => (all ??= probeRest(rest, cwd, first, pinned.length > 0)) };
}

// rustup's proxies (PATH, CARGO_HOME) run one at a time, since a proxy may install a pinned
// toolchain; a distribution's rustc (/usr/bin, /usr/local/bin) is probed alongside them.
async function probeRest(rest: ReadonlyArray<[string, string]>, cwd: string, first: RustToolchain | undefined, pinned: boolean): Promise<RustToolchain[]> {
  const system = (rustc: string) => !pinned && (rustc === '/usr/bin/rustc' || rustc === '/usr/local/bin/rustc');
  let proxies: Promise<unknown> = Promise.resolve();
  const probes = rest.map(([rustc, origin]) => {
    if (system(rustc)) return probeRustc(rustc, cwd, origin);
    const next = proxies.then(() => probeRustc(rustc, cwd, origin));
    proxies = next;
    return next;
  });
  const found: RustToolchain[] = first ? [first] : [];
  for (const tc of await Promise.all(probes)) if (tc && !found.some((f) => f.sysroot === tc.sysroot)) found.push(tc);
  return found;
}

// Every distinct toolchain on the machine, the project's own (rust-toolchain.toml via rustup) first.
export async function findToolchains(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RustToolchain[]> {
  return (await searchToolchains(cwd, env)).all();
}

// True when the toolchain ships a compiled std for the target (rustup's rust-std component).
export async function hasPrebuiltStd(tc: RustToolchain, triple: string): Promise<boolean> {
  try {
    const files = await readdir(join(tc.sysroot, 'lib', 'rustlib', triple, 'lib'));
    return files.some((f) => /^libstd-.*\.rlib$/.test(f));
  } catch {
    return false;
  }
}

// The toolchain's gcc-ld dir, where rustup ships its rust-lld as `ld.lld`: gcc -B<dir> -fuse-ld=lld
// links with it. lld links ripgrep's debug-info objects in 0.1 s where bfd takes 0.45 s per target,
// and it is the toolchain's own, so nothing more is installed. Undefined without one (Debian's rustc).
export async function rustLldDir(tc: RustToolchain): Promise<string | undefined> {
  const rustlib = join(tc.sysroot, 'lib', 'rustlib');
  for (const entry of await readdir(rustlib).catch(() => [] as string[])) {
    const dir = join(rustlib, entry, 'bin', 'gcc-ld');
    if (await exists(join(dir, 'ld.lld'))) return dir;
  }
  return undefined;
}

// True when the toolchain has the std sources -Zbuild-std compiles (rustup's rust-src, Debian's rust-*-src).
export async function hasRustSrc(tc: RustToolchain): Promise<boolean> {
  const library = join(tc.sysroot, 'lib', 'rustlib', 'src', 'rust', 'library');
  return (await exists(join(library, 'std', 'Cargo.toml'))) && (await exists(join(library, 'Cargo.lock')));
}

// Picks the toolchain and std source for one target triple; throws TOOLCHAIN_MISSING with what
// was tried and how to fix it when nothing can build for it.
export async function resolveTargetToolchain(
  triple: string,
  toolchains: readonly RustToolchain[],
  options: ResolveOptions,
  addTarget: (tc: RustToolchain, triple: string) => Promise<string | undefined> = rustupTargetAdd,
): Promise<TargetToolchain> {
  const mode = options.std ?? 'auto';
  const tried: string[] = [];
  const first = toolchains[0];
  const pinned = first && first.origin === 'PATH' && (await exists(join(options.cwd, 'rust-toolchain.toml')));
  const switched = (tc: RustToolchain) =>
    pinned && tc !== first ? [`the project's toolchain (${first.description}) cannot build for ${triple}; using ${tc.description} from ${tc.origin}`] : [];

  if (mode === 'auto' || mode === 'prebuilt') {
    for (const tc of toolchains) {
      if (await hasPrebuiltStd(tc, triple)) return { toolchain: tc, std: 'prebuilt', notes: [`${tc.description} has std for ${triple}`, ...switched(tc)] };
      tried.push(`${tc.description} (${tc.origin}) has no std for ${triple}`);
    }
  }
  if ((mode === 'auto' || mode === 'rustup') && first?.rustupName) {
    const failure = await addTarget(first, triple);
    if (failure === undefined && (await hasPrebuiltStd(first, triple))) {
      return { toolchain: first, std: 'rustup', notes: [`installed std for ${triple} with rustup target add`] };
    }
    tried.push(`rustup target add ${triple} failed: ${failure ?? 'std still missing'}`);
  }
  if (mode === 'auto' || mode === 'sysroot' || mode === 'build-std') {
    for (const tc of toolchains) {
      if (await hasRustSrc(tc)) {
        if (mode !== 'build-std') {
          return { toolchain: tc, std: 'sysroot', notes: [...tried, `std for ${triple} built once from the rust-src of ${tc.description} into a cached sysroot`, ...switched(tc)] };
        }
        return { toolchain: tc, std: 'build-std', notes: [...tried, `building std for ${triple} from the rust-src of ${tc.description}`, ...switched(tc)] };
      }
      tried.push(`${tc.description} (${tc.origin}) has no rust-src for -Zbuild-std`);
    }
  }
  if (toolchains.length === 0) tried.push('no rustc found on PATH or in /usr/bin');
  throw new BuildStaticError(
    'TOOLCHAIN_MISSING',
    `no Rust toolchain can build for ${triple}${mode === 'auto' ? '' : ` with --std ${mode}`}: run ./setup.sh, or \`rustup target add ${triple}\`, or install a toolchain with rust-src`,
    { detail: tried.join('\n') },
  );
}

// `rustup target add` for the toolchain; returns undefined on success or the reason it failed.
export async function rustupTargetAdd(tc: RustToolchain, triple: string): Promise<string | undefined> {
  if (!tc.rustupName) return 'not a rustup toolchain';
  const out = await probe(['rustup', 'target', 'add', '--toolchain', tc.rustupName, triple]);
  return out === undefined ? 'rustup could not download it (offline?)' : undefined;
}

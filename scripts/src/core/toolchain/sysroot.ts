// A compiled std for a musl target, built ONCE per (rustc, target) from a toolchain's rust-src and
// kept as a sysroot, so machines where rustup cannot download std (and container images built from
// Debian's rustc) get a prebuilt-like std instead of rebuilding it in every target directory.
// The rlibs are target-specific but host-independent: the same files serve an amd64 and an arm64
// rustc of the same version. Built with object code AND bitcode so LTO and non-LTO builds both link.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { runStep } from '../exec/exec.ts';
import { cacheDir, exists, removeQuietly } from '../fs.ts';
import type { Platform } from '../platform.ts';
import { tripleEnvSuffix } from '../platform.ts';
import { type CToolchain, prepareCToolchain } from './c-toolchain.ts';
import { hasRustSrc, probeRustc, type RustToolchain } from './rust.ts';

export interface StdSysroot {
  /** Pass as `--sysroot` to rustc for the target's crates. */
  readonly sysroot: string;
  /** `<sysroot>/lib/rustlib/<triple>/lib`: the std rlibs (copy into another rustc's sysroot). */
  readonly libDir: string;
  /** Directory with the musl-compatible libunwind.a the final static link needs. */
  readonly unwindDir: string;
  /** The `rustc -V` line the rlibs were built by; only that exact rustc can use them. */
  readonly rustcVersion: string;
  readonly toolchain: RustToolchain;
  readonly c: CToolchain;
}

export interface SysrootOptions {
  /** rustc to build with (default /usr/bin/rustc: Debian's, which ships rust-src). */
  readonly rustc?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each line cargo prints while building std (minutes, the first time). */
  readonly onLine?: (line: string) => void;
}

// Flags std itself is compiled with: the static relocation model build-std builds use, and bitcode
// embedded next to the object code (cargo passes -C embed-bitcode=no for non-LTO profiles; ours come
// after it and win), so a crate with `lto = true` can still use these rlibs.
export function sysrootRustflags(): string[] {
  return ['-C', 'relocation-model=static', '-C', 'target-feature=+crt-static', '-C', 'embed-bitcode=yes'];
}

const DUMMY_MANIFEST = `[package]
name = "build-static-std"
version = "0.0.0"
edition = "2021"

[profile.release]
opt-level = 3
debug = false
codegen-units = 1
`;

// Where the sysroot for (toolchain, platform) lives, built or not: plans name it without building
// (so --dry-run stays instant); the runner builds it before the first cargo step that needs it.
export function stdSysrootDir(toolchain: Pick<RustToolchain, 'description' | 'version'>, platform: Platform, env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256').update(toolchain.description).update(platform.triple).update(sysrootRustflags().join(' ')).update(DUMMY_MANIFEST).digest('hex').slice(0, 16);
  return join(cacheDir(env), 'sysroots', 'std', `${toolchain.version}-${key}`, platform.triple);
}

// Returns the sysroot for the platform, building std into the cache the first time.
export async function ensureStdSysroot(platform: Platform, options: SysrootOptions = {}): Promise<StdSysroot> {
  const env = options.env ?? process.env;
  const rustcPath = options.rustc ?? '/usr/bin/rustc';
  const toolchain = await probeRustc(rustcPath, process.cwd(), rustcPath);
  if (!toolchain || !(await hasRustSrc(toolchain))) {
    throw new BuildStaticError('TOOLCHAIN_MISSING', `cannot build std for ${platform.triple}: ${rustcPath} is missing or has no rust-src (run ./setup.sh, which installs Debian's rustc-web and rust-web-src)`);
  }
  const c = await prepareCToolchain(platform, 'build-std', env);
  const sysroot = stdSysrootDir(toolchain, platform, env);
  const libDir = join(sysroot, 'lib', 'rustlib', platform.triple, 'lib');
  const result = { sysroot, libDir, unwindDir: c.unwindDir ?? '', rustcVersion: toolchain.description, toolchain, c };
  if (await exists(join(sysroot, '.complete'))) return result;

  const parent = join(cacheDir(env), 'sysroots', 'std');
  await mkdir(parent, { recursive: true });
  const work = await mkdtemp(join(parent, 'tmp-'));
  try {
    await mkdir(join(work, 'crate', 'src'), { recursive: true });
    await writeFile(join(work, 'crate', 'Cargo.toml'), DUMMY_MANIFEST);
    await writeFile(join(work, 'crate', 'src', 'lib.rs'), '');
    const suffix = tripleEnvSuffix(platform.triple);
    await runStep({
      argv: [toolchain.cargo, 'build', '--release', '--target', platform.triple, '-Zbuild-std=std,panic_abort', '--manifest-path', join(work, 'crate', 'Cargo.toml')],
      cwd: join(work, 'crate'),
      env: {
        RUSTC: toolchain.rustc,
        RUSTC_BOOTSTRAP: '1',
        CARGO_TARGET_DIR: join(work, 'target'),
        [`CC_${suffix}`]: c.cc,
        [`AR_${suffix}`]: c.ar,
        CARGO_ENCODED_RUSTFLAGS: sysrootRustflags().join('\x1f'),
      },
    }, options.onLine ? { onStderrLine: options.onLine } : {});
    const deps = join(work, 'target', platform.triple, 'release', 'deps');
    const staged = join(work, 'sysroot', 'lib', 'rustlib', platform.triple, 'lib');
    await mkdir(staged, { recursive: true });
    const rlibs = (await readdir(deps)).filter((f) => f.endsWith('.rlib') && !f.startsWith('libbuild_static_std-')).sort();
    if (!rlibs.some((f) => f.startsWith('libstd-'))) throw new Error(`no libstd rlib in ${deps}`);
    for (const f of rlibs) await copyFile(join(deps, f), join(staged, f));
    await writeFile(join(work, 'sysroot', '.complete'), `${toolchain.description}\n${rlibs.join('\n')}\n`);
    await mkdir(join(sysroot, '..'), { recursive: true });
    await rename(join(work, 'sysroot'), sysroot).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await exists(join(sysroot, '.complete')))) throw error; // a concurrent build won the race
    });
  } catch (error) {
    if (error instanceof BuildStaticError && error.code !== 'COMMAND_FAILED') throw error;
    throw new BuildStaticError('TOOLCHAIN_MISSING', `building std for ${platform.triple} with ${toolchain.description} failed: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
      ...(error instanceof BuildStaticError && error.detail !== undefined ? { detail: error.detail } : {}),
    });
  } finally {
    await removeQuietly(work);
  }
  return result;
}

// Pure planning: from the resolved project, config and toolchains to the exact cargo command per
// platform. Nothing here touches the disk or spawns; `--dry-run` prints this plan, and `cook`
// (dependency caching) derives its flags from the same function so the two cannot drift.
import { join } from 'node:path';
import type { BinaryTarget } from '../cargo/binaries.ts';
import type { AllocatorDecision } from './allocator.ts';
import type { BuildConfig } from '../config.ts';
import type { Step } from '../exec/exec.ts';
import { type Platform, tripleCargoEnv, tripleEnvSuffix } from '../platform.ts';
import type { CToolchain } from '../toolchain/c-toolchain.ts';
import type { SetupStep } from '../toolchain/install.ts';
import { stdFromSource, type TargetToolchain } from '../toolchain/rust.ts';
import { auditableRustflags } from '../sbom/auditable.ts';

export interface PlatformToolchain {
  readonly platform: Platform;
  readonly rust: TargetToolchain;
  readonly c: CToolchain;
  /** A directory whose libc.a has mimalloc in place of musl's malloc (the default, or --allocator mimalloc). */
  readonly allocatorLib?: string;
  /** `--auditable`: an object with the `.dep-v0` dependency list, linked into every binary. */
  readonly auditableObject?: string;
}

export interface PlanInput {
  readonly projectDir: string;
  readonly manifestPath: string;
  /** cargo's target directory (CARGO_TARGET_DIR or config aware, from cargo metadata). */
  readonly targetDirectory: string;
  readonly config: BuildConfig;
  readonly binaries: readonly BinaryTarget[];
  readonly toolchains: readonly PlatformToolchain[];
  readonly lockfile: boolean;
  /** Per package of the selected binaries: which allocator it gets and why. */
  readonly allocators?: Readonly<Record<string, AllocatorDecision>>;
  /** The caller's environment, read only to respect variables the user already set. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Commands that must run once before any cargo step (installing the chosen toolchain). */
  readonly setup?: readonly SetupStep[];
}

export interface BuildStep extends Step {
  readonly platform: Platform;
  readonly targetDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
  /** A std sysroot the step links against, which the runner builds first if it is not cached. */
  readonly stdSysroot?: { readonly dir: string; readonly rustc: string };
}

export interface BuildPlan {
  /** A rustup toolchain install the build needs first (run by installPending before planning again; shown by --dry-run); none usually. */
  readonly setup?: readonly SetupStep[];
  readonly steps: readonly BuildStep[];
}

// The rustc flags that make a fully static, stripped musl executable for the platform.
export function staticRustflags(tc: PlatformToolchain): string[] {
  const flags = ['-C', 'target-feature=+crt-static', '-C', 'strip=symbols'];
  // Searched before the toolchain's own libc.a, so mimalloc serves every malloc in the program.
  if (tc.allocatorLib) flags.push('-L', `native=${tc.allocatorLib}`);
  if (tc.rust.stdSysroot) flags.push('--sysroot', tc.rust.stdSysroot);
  if (stdFromSource(tc.rust.std)) {
    // Debian's musl-gcc specs would produce a dynamic PIE unless told otherwise; rustc's own
    // self-contained crt objects are not there, so link against the system musl and our libunwind.
    flags.push('-C', 'link-self-contained=no', '-C', 'relocation-model=static');
    if (tc.c.unwindDir) flags.push('-L', `native=${tc.c.unwindDir}`);
    flags.push('-C', 'link-arg=-static');
  } else {
    flags.push('-C', 'link-self-contained=yes');
  }
  // C code (mimalloc) may call libgcc helpers (__popcountdi2, aarch64 outline atomics) that
  // rustc's -nodefaultlibs would otherwise leave undefined.
  flags.push('-C', 'link-arg=-lgcc');
  if (tc.auditableObject) flags.push(...auditableRustflags(tc.auditableObject));
  return flags;
}

function tomlString(value: string): string {
  return JSON.stringify(value);
}

// The features to enable: the configured ones, plus each selected binary's `required-features`
// (as `package/feature`), without which cargo refuses to build that binary.
export function selectedFeatures(input: Pick<PlanInput, 'config' | 'binaries'>): string[] {
  const features = [...input.config.features];
  for (const bin of input.binaries) {
    for (const feature of bin.requiredFeatures) {
      const qualified = feature.includes('/') ? feature : `${bin.package}/${feature}`;
      if (!features.includes(feature) && !features.includes(qualified)) features.push(qualified);
    }
  }
  return features;
}

/** What decides which artefacts cargo builds (and so what a dependency cache must match). */
export type SelectionInput = Pick<PlanInput, 'config' | 'binaries' | 'lockfile'>;

// The one source of truth for profile, package/bin selection, features and --locked: the native
// plan, cook, and the Dockerfile's `cargo chef cook` and `cargo build` lines all take these flags
// (cargo-chef's cook accepts each of them), so a dependency cache cannot drift from the build.
export function cargoSelection(input: SelectionInput): string[] {
  const args = ['--profile', input.config.profile];
  for (const bin of input.binaries) args.push('--package', bin.package, '--bin', bin.name);
  const features = selectedFeatures(input);
  if (features.length > 0) args.push('--features', features.join(','));
  if (input.config.noDefaultFeatures) args.push('--no-default-features');
  if (input.lockfile) args.push('--locked');
  return args;
}

// The cargo argv shared by build and cook: target, profile, package/bin selection and features.
export function cargoSelectionArgs(input: PlanInput, tc: PlatformToolchain): string[] {
  const args = ['--manifest-path', input.manifestPath, '--target', tc.platform.triple, ...cargoSelection(input)];
  if (tc.rust.std === 'build-std') args.push('-Zbuild-std=std,panic_abort');
  return args;
}

// One platform's cargo invocation, as data.
export function planPlatform(input: PlanInput, tc: PlatformToolchain): BuildStep {
  const { platform } = tc;
  const triple = platform.triple;
  const targetDir = join(input.targetDirectory, 'build-static', platform.slug);
  const env: Record<string, string> = { CARGO_TARGET_DIR: targetDir, RUSTC: tc.rust.toolchain.rustc };
  const notes = [...tc.rust.notes];
  const config: string[] = [];
  if (tc.rust.std === 'build-std') env.RUSTC_BOOTSTRAP = '1';

  const suffix = tripleEnvSuffix(triple);
  if (input.env[`CC_${suffix}`] === undefined) env[`CC_${suffix}`] = tc.c.cc;
  if (input.env[`AR_${suffix}`] === undefined) env[`AR_${suffix}`] = tc.c.ar;
  if (input.env[`CARGO_TARGET_${tripleCargoEnv(triple)}_LINKER`] === undefined) {
    config.push('--config', `target.${triple}.linker=${tomlString(tc.c.linker)}`);
  } else {
    notes.push(`using the linker from CARGO_TARGET_${tripleCargoEnv(triple)}_LINKER`);
  }

  const rustflags = staticRustflags(tc);
  if (input.env.CARGO_ENCODED_RUSTFLAGS !== undefined) {
    env.CARGO_ENCODED_RUSTFLAGS = [input.env.CARGO_ENCODED_RUSTFLAGS, ...rustflags].filter((f) => f !== '').join('\x1f');
    notes.push('appended static flags to CARGO_ENCODED_RUSTFLAGS');
  } else if (input.env.RUSTFLAGS !== undefined) {
    env.RUSTFLAGS = [input.env.RUSTFLAGS, ...rustflags].filter((f) => f !== '').join(' ');
    notes.push('appended static flags to RUSTFLAGS (set in the environment, so .cargo/config.toml rustflags are ignored by cargo)');
  } else {
    // --config arrays are merged with the project's .cargo/config.toml target rustflags.
    config.push('--config', `target.${triple}.rustflags=${JSON.stringify(rustflags)}`);
  }

  const argv = [tc.rust.toolchain.cargo, ...config, 'build', ...cargoSelectionArgs(input, tc), '--message-format=json-render-diagnostics'];
  const stdSysroot = tc.rust.stdSysroot ? { stdSysroot: { dir: tc.rust.stdSysroot, rustc: tc.rust.toolchain.rustc } } : {};
  return { argv, env, cwd: input.projectDir, platform, targetDir, notes, ...stdSysroot };
}

// The whole build: one step per platform, run concurrently by the runner.
export function planBuild(input: PlanInput): BuildPlan {
  const steps = input.toolchains.map((tc) => planPlatform(input, tc));
  return input.setup?.length ? { setup: input.setup, steps } : { steps };
}

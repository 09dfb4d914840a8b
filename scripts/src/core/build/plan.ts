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
import type { ScannedMetadata } from '../sbom/collect.ts';

export interface PlatformToolchain {
  readonly platform: Platform;
  readonly rust: TargetToolchain;
  readonly c: CToolchain;
  /** A directory whose libc.a has mimalloc in place of musl's malloc (the default, or --allocator mimalloc). */
  readonly allocatorLib?: string;
  /** `--auditable`: an object with the `.dep-v0` dependency list, linked into every binary. */
  readonly auditableObject?: string;
  /** The Rust toolchain's gcc-ld dir: the C toolchain's gcc links with its rust-lld instead of bfd ld. */
  readonly lld?: string;
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
  /** Resolve graphs cargo already gave while resolving (the rust-version scan), reused by the SBOM. */
  readonly scannedMetadata?: readonly ScannedMetadata[];
}

export interface BuildStep extends Step {
  /** The first (or only) platform of `platforms`; names the step in messages. */
  readonly platform: Platform;
  /** Every platform this one cargo builds (one `--target` each); several when host artefacts are shared. */
  readonly platforms: readonly Platform[];
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
  if (tc.lld) flags.push('-C', 'link-arg=-fuse-ld=lld', '-C', `link-arg=-B${tc.lld}`);
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

interface TargetSettings {
  readonly env: Record<string, string>;
  readonly config: string[];
  readonly notes: string[];
}

// What one target adds to a cargo invocation: CC/AR env, linker and rustflags, each keyed by its triple.
function targetSettings(input: PlanInput, tc: PlatformToolchain): TargetSettings {
  const triple = tc.platform.triple;
  const env: Record<string, string> = {};
  const notes = [...tc.rust.notes];
  const config: string[] = [];
  const suffix = tripleEnvSuffix(triple);
  if (input.env[`CC_${suffix}`] === undefined) env[`CC_${suffix}`] = tc.c.cc;
  if (input.env[`AR_${suffix}`] === undefined) env[`AR_${suffix}`] = tc.c.ar;
  // C's __DATE__/__TIME__ (mimalloc's options.c prints them) follow SOURCE_DATE_EPOCH, not the
  // clock: the same sources give the same bytes at any hour, and ccache can serve the object.
  if (input.env.SOURCE_DATE_EPOCH === undefined) env.SOURCE_DATE_EPOCH = '0';
  if (input.env[`CARGO_TARGET_${tripleCargoEnv(triple)}_LINKER`] === undefined) {
    config.push('--config', `target.${triple}.linker=${tomlString(tc.c.linker)}`);
    if (tc.lld) notes.push("links with the Rust toolchain's rust-lld (BUILD_STATIC_LLD=0: the C toolchain's ld)");
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
  return { env, config, notes };
}

// One platform's cargo invocation, as data (`why`: the plan note saying why it is not shared).
export function planPlatform(input: PlanInput, tc: PlatformToolchain, why?: string): BuildStep {
  const { platform } = tc;
  const targetDir = join(input.targetDirectory, 'build-static', platform.slug);
  const own = targetSettings(input, tc);
  const env: Record<string, string> = { CARGO_TARGET_DIR: targetDir, RUSTC: tc.rust.toolchain.rustc, ...own.env };
  if (tc.rust.std === 'build-std') env.RUSTC_BOOTSTRAP = '1';
  const notes = why ? [...own.notes, why] : own.notes;
  const argv = [tc.rust.toolchain.cargo, ...own.config, 'build', ...cargoSelectionArgs(input, tc), '--message-format=json-render-diagnostics'];
  const stdSysroot = tc.rust.stdSysroot ? { stdSysroot: { dir: tc.rust.stdSysroot, rustc: tc.rust.toolchain.rustc } } : {};
  return { argv, env, cwd: input.projectDir, platform, platforms: [platform], targetDir, notes, ...stdSysroot };
}

/** The target dir (under <target>/build-static/) of the one cargo that builds several platforms. */
export const SHARED_TARGET_SLUG = 'multi';

// Why the platforms cannot share one cargo invocation, or undefined when they can: one cargo
// compiles build scripts and proc-macros once for the host instead of once per platform.
export function sharingBlocker(input: PlanInput): string | undefined {
  const [first, ...rest] = input.toolchains;
  if (!first || rest.length === 0) return undefined;
  if (input.env.RUSTFLAGS !== undefined || input.env.CARGO_ENCODED_RUSTFLAGS !== undefined) {
    return 'one cargo per platform: RUSTFLAGS/CARGO_ENCODED_RUSTFLAGS from the environment apply to every target, so the static flags cannot differ per target';
  }
  for (const tc of input.toolchains) {
    if (tc.rust.toolchain.cargo !== first.rust.toolchain.cargo || tc.rust.toolchain.rustc !== first.rust.toolchain.rustc) {
      return `one cargo per platform: ${tc.platform.id} uses another toolchain (${tc.rust.toolchain.rustc}) than ${first.platform.id} (${first.rust.toolchain.rustc})`;
    }
    if (tc.rust.std !== first.rust.std || stdFromSource(tc.rust.std) || tc.rust.stdSysroot) {
      return `one cargo per platform: std is built per target (${input.toolchains.map((t) => `${t.platform.id}: ${t.rust.std}`).join(', ')})`;
    }
  }
  return undefined;
}

// One cargo invocation with a --target per platform, in one target dir: host artefacts are built
// once; cargo's lock on that dir keeps two concurrent builds of the project from corrupting it.
export function planShared(input: PlanInput): BuildStep {
  const [first] = input.toolchains;
  if (!first) throw new Error('planShared needs at least one platform');
  const targetDir = join(input.targetDirectory, 'build-static', SHARED_TARGET_SLUG);
  const env: Record<string, string> = { CARGO_TARGET_DIR: targetDir, RUSTC: first.rust.toolchain.rustc };
  const config: string[] = [];
  const notes: string[] = [];
  const targets: string[] = [];
  for (const tc of input.toolchains) {
    const own = targetSettings(input, tc);
    Object.assign(env, own.env);
    config.push(...own.config);
    for (const note of own.notes) if (!notes.includes(note)) notes.push(note);
    targets.push('--target', tc.platform.triple);
  }
  notes.push(`one cargo for ${input.toolchains.map((t) => t.platform.id).join(', ')}: build scripts and proc-macros compile once for the host`);
  const argv = [first.rust.toolchain.cargo, ...config, 'build', '--manifest-path', input.manifestPath, ...targets, ...cargoSelection(input), '--message-format=json-render-diagnostics'];
  return { argv, env, cwd: input.projectDir, platform: first.platform, platforms: input.toolchains.map((t) => t.platform), targetDir, notes };
}

// The whole build: one cargo for all platforms when they can share it, else one step per
// platform (run concurrently by the runner), each saying why in its notes.
export function planBuild(input: PlanInput): BuildPlan {
  const why = sharingBlocker(input);
  const steps = input.toolchains.length > 1 && why === undefined ? [planShared(input)] : input.toolchains.map((tc) => planPlatform(input, tc, why));
  return input.setup?.length ? { setup: input.setup, steps } : { steps };
}

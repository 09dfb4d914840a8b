// Everything a build plan needs, found out from the machine and the project: the Cargo project,
// its binaries and settings, and for each platform a Rust toolchain and a C toolchain. This is
// the impure half of planning (it probes); plan.ts turns the result into commands.
import { join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { type BinaryTarget, selectBinaries, selectedPackages } from '../cargo/binaries.ts';
import { type CargoMetadata, readCargoMetadata, requireCargoProject } from '../cargo/metadata.ts';
import { type BuildConfig, type ConfigLayer, layerFromMetadata, resolveConfig } from '../config.ts';
import { exists } from '../fs.ts';
import { tripleCargoEnv } from '../platform.ts';
import { prepareCToolchain } from '../toolchain/c-toolchain.ts';
import { prepareMimallocLibc, muslLibcPath } from '../toolchain/mimalloc.ts';
import { stdSysrootDir } from '../toolchain/sysroot.ts';
import { chooseRustToolchain, withDependencyRustVersion } from '../toolchain/choose.ts';
import { label } from '../toolchain/select.ts';
import { hasPrebuiltStd, resolveTargetToolchain, rustLldDir, type RustToolchain, searchToolchains, stdFromSource, type TargetToolchain, type ToolchainSearch } from '../toolchain/rust.ts';
import { requiredRustVersion, type RustRequirement, satisfiesRustVersion } from '../toolchain/rust-version.ts';
import { activeDependencies } from '../cargo/features.ts';
import { runSetupSteps } from '../toolchain/install.ts';
import { decideAllocators } from './allocator.ts';
import { type PlanInput, type PlatformToolchain, selectedFeatures } from './plan.ts';

function metadataTable(metadata: unknown): unknown {
  return metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)['build-static'] : undefined;
}

/** The project half of a resolve: what to build, with which settings (no toolchain needed). */
export interface ResolvedProject {
  readonly projectDir: string;
  readonly meta: CargoMetadata;
  readonly config: BuildConfig;
  readonly binaries: readonly BinaryTarget[];
  readonly lockfile: boolean;
  /** The search for Rust toolchains: the default one's cargo read the metadata; the others on demand. */
  readonly toolchains: ToolchainSearch;
  /** The highest rust-version among the packages the build compiles, if any sets one. */
  readonly rustVersion?: RustRequirement;
}

// Reads the Cargo project and its settings (flags override Cargo.toml); shared by the native
// build and the Dockerfile renderer, which needs no local toolchain for the targets.
export async function resolveProject(dir: string, flags: ConfigLayer, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedProject> {
  const projectDir = await requireCargoProject(dir);
  const toolchains = await searchToolchains(projectDir, env);
  const cargo = toolchains.first?.cargo;
  if (!cargo) {
    throw new BuildStaticError('TOOLCHAIN_MISSING', 'no Rust toolchain found (no rustc on PATH or in /usr/bin): run ./setup.sh or install Rust with rustup');
  }
  // cargo reads CARGO_TARGET_DIR from the build's env (matrix gives each variant its own).
  const meta = await readCargoMetadata(projectDir, cargo, env.CARGO_TARGET_DIR ? { CARGO_TARGET_DIR: env.CARGO_TARGET_DIR } : undefined);
  const packages = selectedPackages(meta, projectDir);
  const layers: ConfigLayer[] = [
    layerFromMetadata(metadataTable(meta.metadata), `[workspace.metadata.build-static] of ${join(meta.workspace_root, 'Cargo.toml')}`),
  ];
  if (packages.length === 1 && packages[0]) {
    layers.push(layerFromMetadata(metadataTable(packages[0].metadata), `[package.metadata.build-static] of ${packages[0].manifest_path}`));
  }
  layers.push(flags);
  const config = resolveConfig(layers);
  const binaries = selectBinaries(meta, projectDir, config.bin);
  const lockfile = await exists(join(meta.workspace_root, 'Cargo.lock'));
  const rustVersion = requiredRustVersion(meta, [...new Set(binaries.map((b) => b.package))]);
  return { projectDir, meta, config, binaries, lockfile, toolchains, ...(rustVersion ? { rustVersion } : {}) };
}

// Reads the project and the machine into a PlanInput (flags override Cargo.toml settings).
export async function resolveBuild(dir: string, flags: ConfigLayer, env: NodeJS.ProcessEnv = process.env): Promise<PlanInput> {
  const { projectDir, meta, config, binaries, lockfile, toolchains: search, rustVersion } = await resolveProject(dir, flags, env);
  const triples = config.platforms.map((p) => p.triple);
  const selection = { features: selectedFeatures({ config, binaries }), noDefaultFeatures: config.noDefaultFeatures };
  const first = search.first;
  const scan = { cargo: first?.cargo ?? 'cargo', ...(first ? { rustc: first.rustc } : {}), manifestPath: join(projectDir, 'Cargo.toml'), cwd: projectDir, triples, packages: binaries.map((b) => b.package), members: meta.workspace_members, ...selection };
  const dependencies = await withDependencyRustVersion(rustVersion, scan, lockfile);
  const alone = first && (await defaultSuffices(first, dependencies.requirement?.version, triples, config.std));
  const toolchains = alone ? [first] : await search.all();
  const choice = await chooseRustToolchain(projectDir, toolchains, dependencies.requirement, triples, env);

  const owners = meta.packages.filter((p) => binaries.some((b) => b.package === p.name));
  const allocators = decideAllocators(config.allocator, owners.map((p) => ({ name: p.name, deps: activeDependencies(p, selection) })));
  const injection = Object.values(allocators)[0]?.inject;

  const platformToolchains: PlatformToolchain[] = [];
  for (const platform of config.platforms) {
    const picked: TargetToolchain = choice.install
      ? { toolchain: choice.install.toolchain, std: 'rustup', notes: [`std for ${platform.triple} added by rustup in the install step`] }
      : await resolveTargetToolchain(platform.triple, choice.toolchains, { cwd: projectDir, std: config.std, env });
    // The chosen toolchain may lack what this target needs (Debian's rustc first on PATH, with no
    // musl std): the reason then says which one builds instead, matching the toolchain line.
    const chosen = choice.toolchains[0];
    const reason = !choice.install && chosen && picked.toolchain !== chosen
      ? `${choice.reason}; ${label(chosen)} has ${picked.std === 'prebuilt' ? 'no std' : 'neither std nor rust-src'} for ${platform.triple}, so ${label(picked.toolchain)} builds it`
      : choice.reason;
    const rust = picked.std === 'sysroot'
      ? { ...picked, reason, stdSysroot: stdSysrootDir(picked.toolchain, platform, env) }
      : { ...picked, reason };
    const c = await prepareCToolchain(platform, rust.std, env);
    // With a toolchain still to install, mimalloc (which needs that toolchain's libc.a) is prepared
    // by the second resolve that installPending() does after the install; a dry run shows the install.
    const allocatorLib = injection && !choice.install
      ? await prepareMimallocLibc(platform, injection, { cc: c.cc, ar: c.ar, cargo: rust.toolchain.cargo }, muslLibcPath(platform, rust.toolchain.sysroot, rust.std), env)
      : undefined;
    const lld = await linkerLld(rust, platform.triple, env);
    platformToolchains.push({ platform, rust, c, ...(allocatorLib ? { allocatorLib } : {}), ...(lld ? { lld } : {}) });
  }
  return {
    projectDir,
    manifestPath: join(projectDir, 'Cargo.toml'),
    targetDirectory: meta.target_directory,
    config,
    binaries,
    toolchains: platformToolchains,
    lockfile,
    allocators,
    env: { ...env },
    ...(choice.install ? { setup: choice.install.steps } : {}),
    ...(dependencies.scanned ? { scannedMetadata: [dependencies.scanned] } : {}),
  };
}

// The gcc-ld dir to link with (the toolchain's rust-lld), unless BUILD_STATIC_LLD=0, the user names
// the target's linker, or std is built here (linked by Debian's musl-gcc specs, kept as they are).
async function linkerLld(rust: TargetToolchain, triple: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.BUILD_STATIC_LLD === '0' || stdFromSource(rust.std)) return undefined;
  if (env[`CARGO_TARGET_${tripleCargoEnv(triple)}_LINKER`] !== undefined) return undefined;
  return rustLldDir(rust.toolchain);
}

// True when the default toolchain alone decides the build: it satisfies the rust-version and has
// std for every target, so every rule in choose.ts and rust.ts picks it whatever else is installed.
async function defaultSuffices(tc: RustToolchain, rustVersion: string | undefined, triples: readonly string[], std: string | undefined): Promise<boolean> {
  if (std !== undefined && std !== 'auto' && std !== 'prebuilt') return false;
  if (rustVersion !== undefined && !satisfiesRustVersion(tc.version, rustVersion)) return false;
  for (const t of triples) if (!(await hasPrebuiltStd(tc, t))) return false;
  return true;
}

// Runs the toolchain installs a resolve planned (rustup for a rust-version), then resolves again,
// so what needs the installed toolchain (mimalloc built against its libc.a) is prepared like for
// any installed toolchain. A dry run, or nothing to install, returns the input as it is.
export async function installPending(
  input: PlanInput,
  again: () => Promise<PlanInput>,
  options: { dryRun?: boolean; signal?: AbortSignal; onLine?: (line: string) => void },
): Promise<PlanInput> {
  if (options.dryRun || !input.setup?.length) return input;
  await runSetupSteps(input.setup, { ...(options.onLine ? { onLine: options.onLine } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const next = await again();
  if (next.setup?.length) throw new BuildStaticError('TOOLCHAIN_MISSING', `the toolchain installed for the project's rust-version is still not found: ${next.setup.map((s) => s.argv.join(' ')).join(' && ')}`);
  return next;
}

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
import { prepareCToolchain } from '../toolchain/c-toolchain.ts';
import { prepareMimallocLibc, muslLibcPath } from '../toolchain/mimalloc.ts';
import { stdSysrootDir } from '../toolchain/sysroot.ts';
import { chooseRustToolchain, withDependencyRustVersion } from '../toolchain/choose.ts';
import { label } from '../toolchain/select.ts';
import { findToolchains, resolveTargetToolchain, type RustToolchain, type TargetToolchain } from '../toolchain/rust.ts';
import { requiredRustVersion, type RustRequirement } from '../toolchain/rust-version.ts';
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
  /** The Rust toolchains found for the project (the first one's cargo read the metadata). */
  readonly toolchains: readonly RustToolchain[];
  /** The highest rust-version among the packages the build compiles, if any sets one. */
  readonly rustVersion?: RustRequirement;
}

// Reads the Cargo project and its settings (flags override Cargo.toml); shared by the native
// build and the Dockerfile renderer, which needs no local toolchain for the targets.
export async function resolveProject(dir: string, flags: ConfigLayer, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedProject> {
  const projectDir = await requireCargoProject(dir);
  const toolchains = await findToolchains(projectDir, env);
  const cargo = toolchains[0]?.cargo;
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
  const { projectDir, meta, config, binaries, lockfile, toolchains, rustVersion } = await resolveProject(dir, flags, env);
  const triples = config.platforms.map((p) => p.triple);
  const selection = { features: selectedFeatures({ config, binaries }), noDefaultFeatures: config.noDefaultFeatures };
  const scan = { cargo: toolchains[0]?.cargo ?? 'cargo', ...(toolchains[0] ? { rustc: toolchains[0].rustc } : {}), manifestPath: join(projectDir, 'Cargo.toml'), cwd: projectDir, triples, packages: binaries.map((b) => b.package), members: meta.workspace_members, ...selection };
  const dependencies = await withDependencyRustVersion(rustVersion, scan, lockfile);
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
    platformToolchains.push({ platform, rust, c, ...(allocatorLib ? { allocatorLib } : {}) });
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

// Chooses the Rust toolchain for a build from the machine and the project's rust-version: probes
// what is installed (the default rustc, Debian's, rustup's toolchains), hands the facts to the pure
// rule in select.ts, and turns an "install" answer into plan steps. Nothing is installed here.
import { realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { probe } from '../exec/exec.ts';
import { exists } from '../fs.ts';
import { rustupInstallSteps, rustupToolchainFor, type SetupStep } from './install.ts';
import { hasPrebuiltStd, hasRustSrc, probeRustc, type RustToolchain } from './rust.ts';
import { metadataArgv, resolvedMetadata, type ScannedMetadata } from '../sbom/collect.ts';
import { compareVersions, describeRequirement, resolvedRustVersion, type RustRequirement, satisfiesRustVersion } from './rust-version.ts';
import { selectToolchain, type ToolchainCandidate } from './select.ts';
import { isReleaseChannel, unmetPin } from './toolchain-file.ts';

export interface RustChoice {
  /** The toolchains to resolve each target's std with, the chosen one first. */
  readonly toolchains: readonly RustToolchain[];
  /** Why, for the `toolchain:` line and build-static.json. */
  readonly reason: string;
  /** Set when the chosen toolchain is installed by the build's first steps. */
  readonly install?: { readonly toolchain: RustToolchain; readonly steps: readonly SetupStep[] };
}

// The rust-toolchain file rustup would obey for `dir` (it looks upwards; `rust-toolchain` wins).
export async function findToolchainFile(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    for (const name of ['rust-toolchain', 'rust-toolchain.toml']) if (await exists(join(d, name))) return join(d, name);
    if (dirname(d) === d) return undefined;
  }
}

// What pins the toolchain so that build-static must not pick another one, if anything does.
export async function pinnedBy(dir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.BUILD_STATIC_RUSTC) return 'BUILD_STATIC_RUSTC';
  if (env.RUSTUP_TOOLCHAIN) return `RUSTUP_TOOLCHAIN=${env.RUSTUP_TOOLCHAIN}`;
  return findToolchainFile(dir);
}

// rustup's toolchains (`rustup toolchain list -v`: name and directory), probed; none without rustup.
export async function rustupToolchains(cwd: string): Promise<RustToolchain[]> {
  const list = await probe(['rustup', 'toolchain', 'list', '-v'], cwd);
  const found: RustToolchain[] = [];
  for (const line of (list ?? '').split('\n')) {
    const dir = /\s(\/\S+)\s*$/.exec(line)?.[1];
    const tc = dir ? await probeRustc(join(dir, 'bin', 'rustc'), cwd, `rustup toolchain ${line.split(/\s/)[0]}`) : undefined;
    if (tc) found.push(tc);
  }
  return found;
}

async function distinct(toolchains: readonly RustToolchain[]): Promise<RustToolchain[]> {
  const seen = new Set<string>();
  const out: RustToolchain[] = [];
  for (const tc of toolchains) {
    const key = await realpath(tc.sysroot).catch(() => tc.sysroot);
    if (!seen.has(key)) out.push(tc);
    seen.add(key);
  }
  return out;
}

async function candidate(tc: RustToolchain, triples: readonly string[]): Promise<ToolchainCandidate> {
  let stdTargets = 0;
  for (const t of triples) if (await hasPrebuiltStd(tc, t)) stdTargets++;
  return { toolchain: tc, stdTargets, canGetStd: tc.rustupName !== undefined || (await hasRustSrc(tc)) };
}

// Picks the toolchain(s) for building `triples` of the project in `dir`; throws TOOLCHAIN_MISSING
// with the needed version and how to get it when nothing can satisfy the rust-version.
export async function chooseRustToolchain(
  dir: string,
  found: readonly RustToolchain[],
  requirement: RustRequirement | undefined,
  triples: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RustChoice> {
  const pin = await pinnedBy(dir, env);
  const file = pin === undefined || pin === 'BUILD_STATIC_RUSTC' || pin.startsWith('RUSTUP_TOOLCHAIN=') ? undefined : pin;
  const unmet = file ? await unmetPin(file, found[0]) : undefined;
  if (file && unmet) return installPinned(file, unmet, requirement, triples, dir, env);
  let toolchains = [...found];
  const defaultFits = found[0] !== undefined && requirement !== undefined && satisfiesRustVersion(found[0].version, requirement.version);
  if (requirement && !pin && !defaultFits) toolchains = await distinct([...found, ...(await rustupToolchains(dir))]);
  const candidates = await Promise.all(toolchains.map((tc) => candidate(tc, triples)));
  const rustup = requirement !== undefined && !pin && !defaultFits && (await probe(['rustup', '--version'], dir)) !== undefined;
  const selection = selectToolchain({ candidates, rustup, ...(requirement ? { requirement } : {}), ...(pin ? { pinnedBy: pin } : {}) });
  if (selection.kind === 'missing') throw new BuildStaticError('TOOLCHAIN_MISSING', selection.message);
  if (selection.kind === 'installed') return { toolchains: selection.toolchains, reason: selection.reason };
  const toolchain = rustupToolchainFor(selection.version, env);
  const why = `${requirement ? describeRequirement(requirement) : 'rust-version'} needs rustc >= ${selection.version}`;
  return { toolchains: [toolchain], reason: selection.reason, install: { toolchain, steps: rustupInstallSteps(selection.version, triples, why) } };
}

// A toolchain file pins a rustc the machine lacks (rustup did not install it: RUSTUP_AUTO_INSTALL=0,
// or no rustup): install that release like rustup would, never build with another rustc.
async function installPinned(file: string, channel: string, requirement: RustRequirement | undefined, triples: readonly string[], dir: string, env: NodeJS.ProcessEnv): Promise<RustChoice> {
  const how = `\`rustup toolchain install ${channel}\` and \`rustup target add --toolchain ${channel} ${triples.join(' ')}\``;
  if (!isReleaseChannel(channel)) throw new BuildStaticError('TOOLCHAIN_MISSING', `${file} pins toolchain ${channel}, which is not installed: run ${how}`);
  if (requirement && !satisfiesRustVersion(channel, requirement.version)) {
    throw new BuildStaticError('TOOLCHAIN_MISSING', `${describeRequirement(requirement)} needs rustc >= ${requirement.version}, but ${file} pins ${channel}: raise the toolchain there`);
  }
  if ((await probe(['rustup', '--version'], dir)) === undefined) {
    throw new BuildStaticError('TOOLCHAIN_MISSING', `${file} pins rustc ${channel}, which is not installed, and rustup is missing: install rustup (https://rustup.rs), then run ${how}`);
  }
  const toolchain = rustupToolchainFor(channel, env);
  const steps = rustupInstallSteps(channel, triples, `${file} pins rustc ${channel}`, 'install it yourself, or change the pin');
  return { toolchains: [toolchain], reason: `pinned by ${file}: rustc ${channel} is not installed; installing it with rustup`, install: { toolchain, steps } };
}

export interface DependencyScan {
  readonly cargo: string;
  /** The rustc of `cargo`'s toolchain (cargo's RUSTC), so the scan is the exact query the SBOM makes. */
  readonly rustc?: string;
  readonly manifestPath: string;
  readonly cwd: string;
  readonly triples: readonly string[];
  readonly packages: readonly string[];
  readonly members: readonly string[];
  readonly features: readonly string[];
  readonly noDefaultFeatures: boolean;
}

export interface DependencyRustVersion {
  readonly requirement?: RustRequirement;
  /** The resolve graph the scan read, kept so the build's SBOM for that target need not ask again. */
  readonly scanned?: ScannedMetadata;
}

// The build's rust-version once dependencies count: the higher of the workspace's `members` and of
// every package the resolve graph compiles for the first target, so a too-new dependency is seen
// before cargo starts instead of as "requires rustc X" mid-build. Only with a Cargo.lock (read
// --locked, never rewritten); when cargo cannot resolve (offline, stale lock) the workspace's value
// stands and cargo reports the real problem itself.
export async function withDependencyRustVersion(members: RustRequirement | undefined, q: DependencyScan, lockfile: boolean): Promise<DependencyRustVersion> {
  const triple = q.triples[0];
  if (!lockfile || !triple) return members ? { requirement: members } : {};
  const query = { ...q, triple, locked: true };
  const env = q.rustc ? { RUSTC: q.rustc } : undefined;
  const meta = await resolvedMetadata(query, env).catch(() => undefined);
  const deps = meta ? resolvedRustVersion(meta, q.packages, q.members) : undefined;
  const requirement = deps && (!members || compareVersions(deps.version, members.version) > 0) ? deps : members;
  return {
    ...(requirement ? { requirement } : {}),
    ...(meta ? { scanned: { argv: metadataArgv(query), rustc: q.rustc, meta } } : {}),
  };
}

// The toolchain selection rule, as a pure function of what is installed and what the project asks
// for, so every case is a table row in a test. Order, as cargo users expect: a pinned toolchain
// (rust-toolchain.toml, RUSTUP_TOOLCHAIN, BUILD_STATIC_RUSTC) is used as it is; otherwise the
// default rustc when it satisfies the rust-version; otherwise the best installed release that
// does; otherwise one installed with rustup; otherwise a nightly or beta that does; otherwise a
// clear error naming the version.
import type { RustToolchain } from './rust.ts';
import { compareVersions, describeRequirement, isPrerelease, olderDependencyHint, type RustRequirement, satisfiesRustVersion } from './rust-version.ts';

export interface ToolchainCandidate {
  readonly toolchain: RustToolchain;
  /** How many of the build's targets it already has a compiled std for. */
  readonly stdTargets: number;
  /** It can get std some other way: rustup can add the target, or it ships rust-src. */
  readonly canGetStd: boolean;
}

export interface SelectionInput {
  /** The machine's toolchains, the default (what `cargo` on PATH runs) first. */
  readonly candidates: readonly ToolchainCandidate[];
  readonly requirement?: RustRequirement;
  /** What pins the toolchain, when something does (`rust-toolchain.toml`, `BUILD_STATIC_RUSTC`, …). */
  readonly pinnedBy?: string;
  /** rustup is on the machine, so a missing version can be installed. */
  readonly rustup: boolean;
}

export type Selection =
  | { readonly kind: 'installed'; readonly toolchains: readonly RustToolchain[]; readonly reason: string }
  | { readonly kind: 'install'; readonly version: string; readonly reason: string }
  | { readonly kind: 'missing'; readonly message: string };

// How a toolchain is named in a reason: its version and where it comes from.
export function label(tc: RustToolchain): string {
  return `rustc ${tc.version} (${tc.rustupName ?? tc.origin})`;
}

// Best first: more targets with std ready, then a way to get std, then the newest version.
function rank(a: ToolchainCandidate, b: ToolchainCandidate): number {
  return b.stdTargets - a.stdTargets || Number(b.canGetStd) - Number(a.canGetStd) || compareVersions(b.toolchain.version, a.toolchain.version);
}

// Applies the rule; `toolchains` of an `installed` selection are the usable ones, chosen first.
export function selectToolchain(input: SelectionInput): Selection {
  const { candidates, requirement } = input;
  const all = candidates.map((c) => c.toolchain);
  const first = candidates[0];
  if (!requirement) {
    const reason = input.pinnedBy ? `pinned by ${input.pinnedBy}` : first ? `the default toolchain (no rust-version in Cargo.toml)` : 'no toolchain found';
    return { kind: 'installed', toolchains: all, reason };
  }
  const need = describeRequirement(requirement);
  const older = olderDependencyHint(requirement);
  const fits = candidates.filter((c) => satisfiesRustVersion(c.toolchain.version, requirement.version));
  const found = all.length > 0 ? all.map(label).join(', ') : 'no rustc';
  if (input.pinnedBy) {
    if (fits.length > 0) return { kind: 'installed', toolchains: fits.map((c) => c.toolchain), reason: `pinned by ${input.pinnedBy}; ${label(fits[0]!.toolchain)} satisfies ${need}` };
    return { kind: 'missing', message: `${need} needs rustc >= ${requirement.version}, but ${input.pinnedBy} pins ${found}: raise the toolchain there${older}` };
  }
  if (first && fits[0] === first) {
    return { kind: 'installed', toolchains: fits.map((c) => c.toolchain), reason: `the default ${label(first.toolchain)} satisfies ${need}` };
  }
  const tooOld = first ? `the default ${label(first.toolchain)} is older` : 'no default rustc';
  const releases = fits.filter((c) => !isPrerelease(c.toolchain.version)).sort(rank);
  if (releases.length > 0) {
    return { kind: 'installed', toolchains: releases.map((c) => c.toolchain), reason: `${need}: ${tooOld}; using the installed ${label(releases[0]!.toolchain)}` };
  }
  if (input.rustup) {
    return { kind: 'install', version: requirement.version, reason: `${need}: ${tooOld} and no installed release satisfies it; installing ${requirement.version} with rustup` };
  }
  const prereleases = fits.slice().sort(rank);
  if (prereleases.length > 0) {
    return { kind: 'installed', toolchains: prereleases.map((c) => c.toolchain), reason: `${need}: no release satisfies it and rustup is missing; using ${label(prereleases[0]!.toolchain)}` };
  }
  return {
    kind: 'missing',
    message: `${need} needs rustc >= ${requirement.version}; installed: ${found}: install rustup (https://rustup.rs) and run \`rustup toolchain install ${requirement.version}\`${older}`,
  };
}

// `rust-version` (a package's minimum supported rustc) read and compared the way cargo does: the
// requirement is a bare `1.x[.y]` meaning "at least", and a rustc's pre-release tag (nightly,
// beta) is ignored, so rustc 1.97.0-nightly satisfies rust-version 1.96.
import type { CargoMetadata, CargoPackage } from '../cargo/metadata.ts';
import type { ResolvedMetadata } from '../sbom/graph.ts';

/** The highest rust-version among the packages a build compiles from the workspace. */
export interface RustRequirement {
  /** As written in Cargo.toml: `1.96` or `1.96.1`. */
  readonly version: string;
  /** The package that asks for it (the first one with that version). */
  readonly package: string;
  /** Set when that package is a dependency (registry, git or path outside the workspace): its version. */
  readonly dependency?: { readonly version: string };
}

// `1.96`, `1.96.1` or `1.97.0-nightly` → [1, 96, 1]; undefined when it is not a version.
export function versionParts(text: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

// Orders two versions numerically (pre-release tags ignored): negative, 0 or positive.
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a) ?? [0, 0, 0];
  const pb = versionParts(b) ?? [0, 0, 0];
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

// True when a rustc of `version` may build a package with rust-version `required` (cargo's rule).
export function satisfiesRustVersion(version: string, required: string): boolean {
  return versionParts(version) !== undefined && compareVersions(version, required) >= 0;
}

// True for nightly and beta rustc versions (`1.97.0-nightly`), which users rarely want picked for them.
export function isPrerelease(version: string): boolean {
  return /-/.test(version.trim());
}

// The rust-version cargo will enforce for building `packageNames`: the highest among them and the
// workspace members they depend on (cargo checks every package it compiles). cargo metadata has
// already resolved `rust-version.workspace = true` to the [workspace.package] value.
export function requiredRustVersion(meta: Pick<CargoMetadata, 'packages' | 'workspace_members'>, packageNames: readonly string[]): RustRequirement | undefined {
  const members = new Map(meta.packages.filter((p) => meta.workspace_members.includes(p.id)).map((p) => [p.name, p]));
  const seen = new Set<string>();
  const queue = packageNames.filter((n) => members.has(n));
  let best: RustRequirement | undefined;
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const pkg = members.get(name) as CargoPackage;
    const version = pkg.rust_version ?? undefined;
    if (version && versionParts(version) && (!best || compareVersions(version, best.version) > 0)) best = { version, package: name };
    for (const dep of pkg.dependencies) if (members.has(dep.name) && dep.kind !== 'dev') queue.push(dep.name);
  }
  return best;
}

// The highest rust-version among every package cargo compiles for `packageNames` — dependencies
// too, since cargo refuses any of them ("requires rustc X") only after the build has begun. Walks
// the resolve graph of `cargo metadata --filter-platform` over normal and build edges (not dev).
export function resolvedRustVersion(meta: Pick<ResolvedMetadata, 'packages' | 'resolve'>, packageNames: readonly string[], members: readonly string[]): RustRequirement | undefined {
  const packages = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map((meta.resolve?.nodes ?? []).map((n) => [n.id, n]));
  const queue = meta.packages.filter((p) => members.includes(p.id) && packageNames.includes(p.name)).map((p) => p.id);
  const seen = new Set<string>();
  let best: RustRequirement | undefined;
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const pkg = packages.get(id);
    const version = pkg?.rust_version ?? undefined;
    if (pkg && version && versionParts(version) && (!best || compareVersions(version, best.version) > 0)) {
      best = { version, package: pkg.name, ...(members.includes(id) ? {} : { dependency: { version: pkg.version } }) };
    }
    for (const dep of nodes.get(id)?.deps ?? []) if ((dep.dep_kinds ?? [{ kind: null }]).some((k) => k.kind !== 'dev')) queue.push(dep.pkg);
  }
  return best;
}

// How a requirement reads in a message: `rust-version 1.96 of app`, or of `dependency foo 1.2.3`.
export function describeRequirement(r: RustRequirement): string {
  return r.dependency ? `rust-version ${r.version} of dependency ${r.package} ${r.dependency.version}` : `rust-version ${r.version} of ${r.package}`;
}

// The second way out for a dependency that is too new: an older release of it, as cargo spells it.
export function olderDependencyHint(r: RustRequirement): string {
  return r.dependency ? `, or pin an older ${r.package}: cargo update -p ${r.package}@${r.dependency.version} --precise <older version>` : ', or lower rust-version';
}

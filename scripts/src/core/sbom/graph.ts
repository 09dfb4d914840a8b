// Which crates went into one binary for one target, from `cargo metadata --filter-platform
// <triple>`: everything reachable from the binary's package over normal dependency edges is
// linked in (`runtime`); what is reachable only through build-dependencies (build scripts, and the
// crates they use) ran on the build machine and is listed as `build`; dev-dependencies are not
// followed at all, and crates only other platforms use are absent because cargo filtered them.
import type { CargoPackage } from '../cargo/metadata.ts';

export interface ResolveNode {
  readonly id: string;
  readonly features?: readonly string[];
  readonly deps?: ReadonlyArray<{ readonly pkg: string; readonly dep_kinds?: ReadonlyArray<{ readonly kind: string | null; readonly target?: string | null }> }>;
}

/** `cargo metadata` with dependencies: packages plus the resolve graph. */
export interface ResolvedMetadata {
  readonly packages: ReadonlyArray<CargoPackage & { readonly source?: string | null; readonly license?: string | null }>;
  readonly resolve: { readonly nodes: readonly ResolveNode[] } | null;
  readonly workspace_root: string;
}

export type CrateScope = 'runtime' | 'build';

export interface CrateNode {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** `registry+…`, `git+…`, or undefined for a path (local) package. */
  readonly source?: string;
  readonly license?: string;
  /** Where cargo has the crate's sources (not rendered: it differs between machines). */
  readonly manifestPath?: string;
  readonly features: readonly string[];
  readonly scope: CrateScope;
  /** Ids of the crates this one uses, runtime edges first then build edges, each sorted. */
  readonly dependsOn: readonly string[];
  readonly buildDependsOn: readonly string[];
}

export interface CrateGraph {
  readonly root: CrateNode;
  /** Every crate but the root, sorted by name then version. */
  readonly crates: readonly CrateNode[];
}

// The crates of `rootId`'s build, scoped runtime or build-only (see the header).
export function crateGraph(meta: ResolvedMetadata, rootId: string): CrateGraph {
  const nodes = new Map((meta.resolve?.nodes ?? []).map((n) => [n.id, n]));
  const packages = new Map(meta.packages.map((p) => [p.id, p]));
  if (!nodes.has(rootId) || !packages.has(rootId)) throw new Error(`cargo metadata has no resolve node for ${rootId}`);
  const edges = (id: string, kind: 'normal' | 'build') =>
    (nodes.get(id)?.deps ?? [])
      .filter((d) => (d.dep_kinds ?? [{ kind: null }]).some((k) => (kind === 'normal' ? k.kind === null : k.kind === 'build')))
      .map((d) => d.pkg)
      .filter((pkg) => nodes.has(pkg));

  const runtime = reachable([rootId], (id) => edges(id, 'normal'));
  const everything = reachable([rootId], (id) => [...edges(id, 'normal'), ...edges(id, 'build')]);
  const node = (id: string): CrateNode => {
    const p = packages.get(id)!;
    const resolved = nodes.get(id)!;
    const depNames = new Set(resolved.deps?.map((d) => packages.get(d.pkg)?.name) ?? []);
    // An optional dependency's implicit feature stays in the list even when cargo filtered the
    // dependency out for this target (tokio's `windows-sys` on Linux); it enables nothing here.
    const absent = new Set(p.dependencies.filter((d) => d.optional && !depNames.has(d.name)).map((d) => d.rename ?? d.name));
    return {
      id,
      name: p.name,
      version: p.version,
      ...(p.source ? { source: p.source } : {}),
      ...(p.license ? { license: p.license } : {}),
      manifestPath: p.manifest_path,
      features: [...(resolved.features ?? [])].filter((f) => !absent.has(f)).sort(),
      scope: runtime.has(id) ? 'runtime' : 'build',
      dependsOn: [...new Set(edges(id, 'normal'))].sort(),
      buildDependsOn: [...new Set(edges(id, 'build'))].filter((d) => !edges(id, 'normal').includes(d)).sort(),
    };
  };
  const crates = [...everything].filter((id) => id !== rootId).map(node);
  crates.sort((a, b) => (a.name === b.name ? compareVersions(a.version, b.version) : a.name < b.name ? -1 : 1));
  return { root: node(rootId), crates };
}

function reachable(start: readonly string[], next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...start];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    pending.push(...next(id));
  }
  return seen;
}

function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

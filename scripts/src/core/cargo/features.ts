// Which optional dependencies a build actually enables. `cargo metadata --no-deps` lists every
// dependency, optional or not; a crate that puts its allocator behind a feature must not be judged
// by a dependency the build leaves off (or missed when `--features` turns it on).
import type { CargoPackage } from './metadata.ts';

export interface FeatureSelection {
  /** Features as given to cargo: `feat` (the package's own) or `pkg/feat`. */
  readonly features: readonly string[];
  readonly noDefaultFeatures: boolean;
}

// The features of `pkg` that end up enabled, following cargo's rules: `default` unless
// --no-default-features, the requested ones, and everything they enable in turn.
export function enabledFeatures(pkg: Pick<CargoPackage, 'name' | 'features'>, selection: FeatureSelection): Set<string> {
  const table = pkg.features ?? {};
  const pending: string[] = selection.noDefaultFeatures ? [] : ['default'];
  for (const f of selection.features) {
    const slash = f.indexOf('/');
    if (slash < 0) pending.push(f);
    else if (f.slice(0, slash) === pkg.name) pending.push(f.slice(slash + 1));
  }
  const enabled = new Set<string>();
  while (pending.length > 0) {
    const f = pending.pop()!;
    if (enabled.has(f) || !(f in table)) continue;
    enabled.add(f);
    for (const entry of table[f] ?? []) {
      if (entry.startsWith('dep:') || entry.includes('/')) continue;
      pending.push(entry);
    }
  }
  return enabled;
}

// The names (as written in Cargo.toml, i.e. the rename if any) of the optional dependencies the
// enabled features switch on: `dep:x`, `x` and `x/feat` enable x; the weak `x?/feat` does not.
export function enabledOptionalDependencies(pkg: Pick<CargoPackage, 'name' | 'features' | 'dependencies'>, selection: FeatureSelection): Set<string> {
  const table = pkg.features ?? {};
  const optional = new Set(pkg.dependencies.filter((d) => d.optional).map((d) => d.rename ?? d.name));
  const on = new Set<string>();
  for (const feature of enabledFeatures(pkg, selection)) {
    for (const entry of table[feature] ?? []) {
      const name = entry.startsWith('dep:') ? entry.slice(4) : entry.includes('?/') ? undefined : entry.split('/')[0];
      if (name !== undefined && optional.has(name)) on.add(name);
    }
    // An optional dependency without any `dep:` mention has an implicit feature of its own name.
    if (optional.has(feature)) on.add(feature);
  }
  return on;
}

// The package's dependencies the build will really compile (non-optional, or switched on).
export function activeDependencies(pkg: Pick<CargoPackage, 'name' | 'features' | 'dependencies'>, selection: FeatureSelection): CargoPackage['dependencies'] {
  const on = enabledOptionalDependencies(pkg, selection);
  return pkg.dependencies.filter((d) => !d.optional || on.has(d.rename ?? d.name));
}

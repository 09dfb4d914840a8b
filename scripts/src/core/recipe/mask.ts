// Version masking: every local crate's version becomes 0.0.1 in manifests and Cargo.lock, so a
// release that only bumps versions produces the same recipe and keeps the dependency cache.
import { type Table, isTable, tableAt } from './toml.ts';
import { MASKED_VERSION } from './types.ts';

const DEPENDENCY_KEYS = ['dependencies', 'dev-dependencies', 'build-dependencies', 'dev_dependencies', 'build_dependencies'];

// The names of the packages the manifests declare (the crates that are local to the recipe).
export function localPackageNames(docs: readonly Table[]): Set<string> {
  const names = new Set<string>();
  for (const doc of docs) {
    const name = tableAt(doc, 'package')?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

// Path dependencies on local crates (by key, or by `package =` when renamed) get the masked version.
function maskDependencyTables(owner: Table, local: ReadonlySet<string>): void {
  for (const key of DEPENDENCY_KEYS) {
    const deps = tableAt(owner, key);
    if (!deps) continue;
    for (const [name, dep] of Object.entries(deps)) {
      if (!isTable(dep) || dep.path === undefined || dep.version === undefined) continue;
      const pkg = typeof dep.package === 'string' ? dep.package : name;
      if (local.has(pkg)) dep.version = MASKED_VERSION;
    }
  }
}

// Masks one manifest in place: [package].version (when a literal), [workspace.package].version,
// and local path dependencies at top level, under [target.*] and in [workspace.dependencies].
export function maskManifest(doc: Table, local: ReadonlySet<string>): void {
  const pkg = tableAt(doc, 'package');
  if (pkg && typeof pkg.version === 'string') pkg.version = MASKED_VERSION;
  maskDependencyTables(doc, local);
  const targets = tableAt(doc, 'target');
  for (const platform of Object.values(targets ?? {})) if (isTable(platform)) maskDependencyTables(platform, local);
  const workspace = tableAt(doc, 'workspace');
  if (workspace) {
    const shared = tableAt(workspace, 'package');
    if (shared && shared.version !== undefined) shared.version = MASKED_VERSION;
    maskDependencyTables(workspace, local);
  }
}

// Masks Cargo.lock in place: [[package]] entries of local crates, which are the ones without `source`.
export function maskLockfile(lock: Table, local: ReadonlySet<string>): void {
  const packages = lock.package;
  if (!Array.isArray(packages)) return;
  for (const entry of packages) {
    if (isTable(entry) && typeof entry.name === 'string' && local.has(entry.name) && entry.source === undefined && entry.version !== undefined) {
      entry.version = MASKED_VERSION;
    }
  }
}

// Masks every manifest and the lockfile with the set of local crates the manifests declare.
export function maskVersions(docs: readonly Table[], lock: Table | undefined): void {
  const local = localPackageNames(docs);
  for (const doc of docs) maskManifest(doc, local);
  if (lock) maskLockfile(lock, local);
}

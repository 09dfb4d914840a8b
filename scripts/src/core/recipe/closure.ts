// `plan --bin NAME`: trims the recipe to what that binary needs, so changing an unrelated member
// does not change the recipe. Keeps the members in the binary's local dependency closure, rewrites
// [workspace] members, drops default-members and unused [workspace.dependencies], and keeps only the
// Cargo.lock entries reachable from the closure (walking Cargo.lock itself: no network needed).
import { dirname, resolve } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import type { CargoPackage } from '../cargo/metadata.ts';
import { comparePaths, relativePosix } from './paths.ts';
import { type Table, isTable, tableAt } from './toml.ts';

export interface LocalDependency {
  readonly name: string;
  readonly path?: string | null;
}

export interface ManifestEntry {
  readonly relativePath: string;
  readonly doc: Table;
  readonly pkg?: CargoPackage;
}

function pathDeps(pkg: CargoPackage): string[] {
  return (pkg.dependencies as readonly LocalDependency[]).flatMap((d) => (d.path ? [resolve(d.path)] : []));
}

// The members `bin` (a package or binary name) depends on, itself included, following path
// dependencies of every kind (as cargo-chef does).
export function memberClosure(members: readonly CargoPackage[], bin: string): CargoPackage[] {
  const owner = members.find((p) => p.name === bin) ?? members.find((p) => p.targets.some((t) => t.kind.includes('bin') && t.name === bin));
  if (!owner) {
    const bins = members.flatMap((p) => p.targets.filter((t) => t.kind.includes('bin')).map((t) => t.name));
    throw new BuildStaticError('UNKNOWN_BIN', `no package or binary named "${bin}" in the workspace: binaries are ${bins.join(', ') || '(none)'}`);
  }
  const byDir = new Map(members.map((p) => [dirname(resolve(p.manifest_path)), p]));
  const seen = new Set<CargoPackage>([owner]);
  const queue = [owner];
  for (let pkg = queue.shift(); pkg; pkg = queue.shift()) {
    for (const dir of pathDeps(pkg)) {
      const dep = byDir.get(dir);
      if (dep && !seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  return members.filter((p) => seen.has(p));
}

function workspaceKeysUsed(docs: readonly Table[]): Set<string> {
  const keys = new Set<string>();
  const collect = (owner: Table) => {
    for (const section of ['dependencies', 'dev-dependencies', 'build-dependencies', 'dev_dependencies', 'build_dependencies']) {
      for (const [key, dep] of Object.entries(tableAt(owner, section) ?? {})) if (isTable(dep) && dep.workspace === true) keys.add(key);
    }
  };
  for (const doc of docs) {
    collect(doc);
    for (const platform of Object.values(tableAt(doc, 'target') ?? {})) if (isTable(platform)) collect(platform);
  }
  return keys;
}

// Rewrites the root manifest's [workspace] for the closure (in place).
export function trimWorkspace(rootDoc: Table, root: string, closure: readonly CargoPackage[], kept: readonly Table[]): void {
  const workspace = tableAt(rootDoc, 'workspace');
  if (!workspace) return;
  workspace.members = closure
    .map((p) => relativePosix(root, dirname(p.manifest_path)))
    .filter((dir) => dir !== '')
    .sort(comparePaths);
  delete workspace['default-members'];
  delete workspace.default_members;
  const deps = tableAt(workspace, 'dependencies');
  if (deps) {
    const used = workspaceKeysUsed(kept.filter((doc) => tableAt(doc, 'package')));
    for (const key of Object.keys(deps)) if (!used.has(key)) delete deps[key];
  }
}

interface LockEntry {
  readonly table: Table;
  readonly name: string;
  readonly version: string;
  readonly source?: string;
}

// Keeps the Cargo.lock [[package]] entries reachable from the closure's members (in place).
export function trimLockfile(lock: Table, closure: readonly CargoPackage[]): void {
  if (!Array.isArray(lock.package)) return;
  const entries: LockEntry[] = lock.package.filter(isTable).flatMap((table) =>
    typeof table.name === 'string' && typeof table.version === 'string'
      ? [{ table, name: table.name, version: table.version, ...(typeof table.source === 'string' ? { source: table.source } : {}) }]
      : [],
  );
  const find = (spec: string): LockEntry[] => {
    const m = /^(\S+)(?: (\S+))?(?: \((.+)\))?$/.exec(spec.trim());
    if (!m) return [];
    return entries.filter((e) => e.name === m[1] && (m[2] === undefined || e.version === m[2]) && (m[3] === undefined || e.source === m[3]));
  };
  const reached = new Set<LockEntry>();
  const queue = entries.filter((e) => e.source === undefined && closure.some((p) => p.name === e.name && p.version === e.version));
  for (const e of queue) reached.add(e);
  for (let entry = queue.shift(); entry; entry = queue.shift()) {
    const deps = Array.isArray(entry.table.dependencies) ? entry.table.dependencies : [];
    for (const spec of deps) {
      for (const dep of typeof spec === 'string' ? find(spec) : []) {
        if (!reached.has(dep)) {
          reached.add(dep);
          queue.push(dep);
        }
      }
    }
  }
  const keep = new Set([...reached].map((e) => e.table));
  lock.package = lock.package.filter((table) => !isTable(table) || typeof table.name !== 'string' || typeof table.version !== 'string' || keep.has(table));
}

// Applies `--bin`: returns the manifests to keep (the root one always) and trims the root
// manifest and the lockfile in place.
export function trimToBinary(entries: readonly ManifestEntry[], members: readonly CargoPackage[], root: string, lock: Table | undefined, bin: string): ManifestEntry[] {
  const closure = memberClosure(members, bin);
  const kept = entries.filter((e) => e.relativePath === 'Cargo.toml' || (e.pkg !== undefined && closure.includes(e.pkg)));
  const rootEntry = kept.find((e) => e.relativePath === 'Cargo.toml');
  if (rootEntry) trimWorkspace(rootEntry.doc, root, closure, kept.map((e) => e.doc));
  if (lock) trimLockfile(lock, closure);
  return kept;
}

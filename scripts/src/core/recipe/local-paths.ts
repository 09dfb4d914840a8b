// Local crates a recipe cannot fabricate. A path dependency outside the project root, or a [patch]
// that points outside it or at a workspace member (whose dummy would break the crates built on
// it), is refused when planning. A path crate inside the root that is not a member (an excluded
// dir, a vendored [patch]) keeps its real sources: cook needs that directory present.
import { dirname, posix, resolve } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import type { CargoPackage } from '../cargo/metadata.ts';
import type { LocalDependency } from './closure.ts';
import { isInside, relativePosix } from './paths.ts';
import { type Table, isTable, tableAt } from './toml.ts';

const DEP_SECTIONS = ['dependencies', 'dev-dependencies', 'build-dependencies', 'dev_dependencies', 'build_dependencies'];

// Checks the members' path dependencies, target sources and the root [patch]; returns notes for
// the directories cook will need with their real sources.
export function checkLocalPaths(root: string, members: readonly CargoPackage[], rootDoc: Table | undefined): string[] {
  const memberDirs = new Set(members.map((p) => dirname(resolve(p.manifest_path))));
  const notes = new Set<string>();
  const outside = (what: string, path: string) =>
    new BuildStaticError(
      'RECIPE_UNSUPPORTED',
      `${what} is at ${path}, outside the project root ${root}: a recipe only carries files under the root (as with cargo-chef), so cook could not build it; move that crate under ${root} (or make it a git or registry dependency)`,
    );
  for (const pkg of members) {
    for (const dep of pkg.dependencies as readonly LocalDependency[]) {
      if (!dep.path) continue;
      if (!isInside(root, dep.path)) throw outside(`path dependency "${dep.name}" of ${pkg.name}`, resolve(dep.path));
      if (!memberDirs.has(resolve(dep.path))) notes.add(neededNote(`path dependency "${dep.name}" of ${pkg.name}`, relativePosix(root, dep.path)));
    }
    for (const target of pkg.targets) {
      if (!isInside(root, target.src_path)) throw outside(`the source of target "${target.name}" of ${pkg.name}`, resolve(target.src_path));
    }
  }
  for (const [registry, patches] of Object.entries(tableAt(rootDoc, 'patch') ?? {})) {
    for (const [name, patch] of Object.entries(isTable(patches) ? patches : {})) {
      if (!isTable(patch) || typeof patch.path !== 'string') continue;
      const abs = resolve(root, patch.path);
      const what = `[patch.${registry}] ${name}`;
      if (!isInside(root, abs)) throw outside(what, abs);
      if (memberDirs.has(abs)) {
        throw new BuildStaticError(
          'RECIPE_UNSUPPORTED',
          `${what} points at workspace member ${relativePosix(root, abs)}: cook would replace its sources with an empty dummy and the crates that depend on it could not build; add it to [workspace] exclude so cook compiles its real sources`,
        );
      }
      notes.add(neededNote(what, relativePosix(root, abs)));
    }
  }
  return [...notes];
}

function neededNote(what: string, dir: string): string {
  return `${what} uses ${dir}, which is not a workspace member: cook compiles its real sources, so copy ${dir} in before cook (e.g. COPY ${dir} ${dir})`;
}

export interface ExternalPath {
  /** The manifest (relative path) that names it. */
  readonly manifest: string;
  /** The dependency or patch table whose `path` points outside the recipe's manifests. */
  readonly table: Table;
  /** The directory it names, relative to the project root (POSIX). */
  readonly dir: string;
  readonly what: string;
}

function collect(owner: Table | undefined, manifest: string, what: string, out: ExternalPath[]): void {
  const manifestDir = posix.dirname(manifest);
  for (const [name, dep] of Object.entries(owner ?? {})) {
    if (isTable(dep) && typeof dep.path === 'string') out.push({ manifest, table: dep, dir: posix.normalize(posix.join(manifestDir, dep.path)), what: `${what} ${name}` });
  }
}

// Every path dependency and [patch] in the recipe's manifests that does not lead to another
// manifest of the recipe: cook needs those directories with their real sources.
export function externalPaths(manifests: ReadonlyArray<{ readonly relativePath: string; readonly doc: Table }>): ExternalPath[] {
  const dirs = new Set(manifests.map((m) => posix.dirname(m.relativePath)));
  const all: ExternalPath[] = [];
  for (const { relativePath, doc } of manifests) {
    const owners: Array<[Table | undefined, string]> = DEP_SECTIONS.map((s) => [tableAt(doc, s), `[${s}]`]);
    for (const [platform, table] of Object.entries(tableAt(doc, 'target') ?? {})) {
      for (const s of DEP_SECTIONS) owners.push([tableAt(table, s), `[target.'${platform}'.${s}]`]);
    }
    owners.push([tableAt(tableAt(doc, 'workspace'), 'dependencies'), '[workspace.dependencies]']);
    for (const [registry, patches] of Object.entries(tableAt(doc, 'patch') ?? {})) owners.push([isTable(patches) ? patches : undefined, `[patch.${registry}]`]);
    for (const [owner, what] of owners) collect(owner, relativePath, `${what} of ${relativePath}:`, all);
  }
  return all.filter((p) => !dirs.has(p.dir));
}

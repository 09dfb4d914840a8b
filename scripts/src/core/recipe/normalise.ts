// A manifest as a recipe carries it: the user's TOML with the targets cargo discovers made explicit
// (so `cook` and cargo-chef's cleanup see the same [lib], [[bin]] and build script cargo does) and
// lints removed (a `missing_docs = "deny"` would fail on dummy sources). Pure: metadata in, table out.
import { dirname } from 'node:path';
import type { CargoPackage, CargoTarget } from '../cargo/metadata.ts';
import { relativePosix } from './paths.ts';
import { type Table, tableAt, tablesAt } from './toml.ts';
import { type RecipeTarget, compareTargets, isLib, kindFromCargo } from './types.ts';

const PRODUCT_KEYS = { Bin: 'bin', Example: 'example', Test: 'test', Bench: 'bench' } as const;

// The package's targets as the recipe lists them: from cargo metadata, paths relative to the
// manifest, sorted like cargo-chef's BTreeSet (path, then kind, then name).
export function recipeTargets(pkg: CargoPackage): RecipeTarget[] {
  const dir = dirname(pkg.manifest_path);
  return pkg.targets
    .map((t) => ({ path: relativePosix(dir, t.src_path), kind: kindFromCargo(t.kind), name: t.name }))
    .sort(compareTargets);
}

function has(table: Table, key: string): boolean {
  return table[key] !== undefined || table[key.replace(/-/g, '_')] !== undefined;
}

// Fills one target's table: path and name always, `crate-type` where cargo-chef sets its default.
function completeProduct(entry: Table, target: CargoTarget, path: string, crateType?: string): void {
  if (entry.path === undefined) entry.path = path;
  if (entry.name === undefined) entry.name = target.name;
  if (crateType !== undefined && !has(entry, 'crate-type')) entry['crate-type'] = [crateType];
}

// Normalises `doc` in place for the recipe; `pkg` is undefined for a virtual workspace root.
export function normaliseManifest(doc: Table, pkg: CargoPackage | undefined): Table {
  delete doc.lints;
  const workspace = tableAt(doc, 'workspace');
  if (workspace) delete workspace.lints;
  if (!pkg) return doc;

  const dir = dirname(pkg.manifest_path);
  for (const target of pkg.targets) {
    const kind = kindFromCargo(target.kind);
    const path = relativePosix(dir, target.src_path);
    if (kind === 'BuildScript') {
      const pkgTable = tableAt(doc, 'package');
      if (pkgTable && (pkgTable.build === undefined || pkgTable.build === true)) pkgTable.build = path;
    } else if (isLib(kind)) {
      const lib = tableAt(doc, 'lib') ?? {};
      completeProduct(lib, target, path, kind.Lib.is_proc_macro ? undefined : 'lib');
      delete lib['required-features'];
      doc.lib = lib;
    } else {
      const key = PRODUCT_KEYS[kind];
      const entries = tablesAt(doc, key);
      let entry = entries.find((e) => e.name === target.name);
      if (!entry) {
        entry = {};
        entries.push(entry);
      }
      completeProduct(entry, target, path, kind === 'Example' ? 'bin' : undefined);
      doc[key] = entries;
    }
  }
  const bins = tablesAt(doc, 'bin');
  if (bins.length > 0) doc.bin = bins.sort((a, b) => compareStrings(productKey(a), productKey(b)));
  return doc;
}

// cargo-chef orders [[bin]] by path (or name) so auto-discovery order cannot change the recipe.
function productKey(entry: Table): string {
  return typeof entry.path === 'string' ? entry.path : typeof entry.name === 'string' ? entry.name : '';
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


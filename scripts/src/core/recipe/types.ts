// cargo-chef's recipe format, as data. The JSON shape is cargo-chef's (serde's externally tagged
// enums, fields in declaration order), so recipes written by either tool are read by both.
import { comparePaths } from './paths.ts';

export type TargetKind = { readonly Lib: { readonly is_proc_macro: boolean } } | 'Bin' | 'Test' | 'Bench' | 'Example' | 'BuildScript';

export interface RecipeTarget {
  /** Relative to the directory of the manifest that declares it. */
  readonly path: string;
  readonly kind: TargetKind;
  readonly name: string;
}

export interface RecipeManifest {
  /** Relative to the project root, e.g. `Cargo.toml` or `crates/app/Cargo.toml`. */
  readonly relative_path: string;
  /** The normalised, version-masked manifest as TOML text. */
  readonly contents: string;
  readonly targets: readonly RecipeTarget[];
}

export type RustToolchainFile = readonly ['Bare' | 'Toml', string];

export interface Skeleton {
  readonly manifests: readonly RecipeManifest[];
  readonly config_file: string | null;
  readonly lock_file: string | null;
  readonly rust_toolchain_file: RustToolchainFile | null;
}

export interface Recipe {
  readonly skeleton: Skeleton;
}

/** The version every local crate gets in a recipe, so bumping a version keeps the recipe. */
export const MASKED_VERSION = '0.0.1';

const KIND_ORDER = ['Lib', 'Bin', 'Test', 'Bench', 'Example', 'BuildScript'] as const;

// Rank of a kind in cargo-chef's derived `Ord` (declaration order; Lib{false} before Lib{true}).
export function kindRank(kind: TargetKind): number {
  if (typeof kind === 'object') return kind.Lib.is_proc_macro ? 0.5 : 0;
  return KIND_ORDER.indexOf(kind);
}

// cargo-chef's target order (a BTreeSet of {path, kind, name}): path, then kind, then name.
export function compareTargets(a: RecipeTarget, b: RecipeTarget): number {
  return comparePaths(a.path, b.path) || kindRank(a.kind) - kindRank(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

// Narrows a kind to the library variant (the only one with data).
export function isLib(kind: TargetKind): kind is { readonly Lib: { readonly is_proc_macro: boolean } } {
  return typeof kind === 'object';
}

// cargo's `kind` list of a target (cargo metadata) → the recipe's kind.
export function kindFromCargo(kinds: readonly string[]): TargetKind {
  if (kinds.includes('custom-build')) return 'BuildScript';
  if (kinds.includes('bin')) return 'Bin';
  if (kinds.includes('test')) return 'Test';
  if (kinds.includes('bench')) return 'Bench';
  if (kinds.includes('example')) return 'Example';
  return { Lib: { is_proc_macro: kinds.includes('proc-macro') } };
}

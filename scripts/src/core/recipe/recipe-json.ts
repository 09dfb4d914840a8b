// Reading and writing recipe.json. Writing is deterministic (manifests by path, targets by path,
// kind, name; cargo-chef's field order). Reading accepts cargo-chef's recipes and checks every
// field, so a corrupt or foreign file fails with one line instead of a confusing cargo error.
import { readFile } from 'node:fs/promises';
import { BuildStaticError } from '../../errors.ts';
import { comparePaths, isSafeRelative } from './paths.ts';
import { type Recipe, type RecipeManifest, type RecipeTarget, type TargetKind, compareTargets } from './types.ts';

const KINDS = new Set(['Bin', 'Test', 'Bench', 'Example', 'BuildScript']);

function fail(where: string, problem: string): never {
  throw new BuildStaticError('RECIPE_INVALID', `${where} is not a usable recipe: ${problem}; create it with "build-static plan" (or cargo chef prepare)`);
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function kindOf(value: unknown, at: string, where: string): TargetKind {
  if (typeof value === 'string' && KINDS.has(value)) return value as TargetKind;
  const lib = obj(obj(value)?.Lib);
  if (lib && typeof lib.is_proc_macro === 'boolean') return { Lib: { is_proc_macro: lib.is_proc_macro } };
  return fail(where, `${at}.kind is ${JSON.stringify(value)}, not one of Lib, Bin, Test, Bench, Example, BuildScript`);
}

function targetOf(value: unknown, at: string, where: string): RecipeTarget {
  const t = obj(value) ?? fail(where, `${at} is not an object`);
  if (typeof t.path !== 'string' || !isSafeRelative(t.path)) fail(where, `${at}.path must be a relative path inside the project`);
  if (typeof t.name !== 'string' || t.name === '') fail(where, `${at}.name must be a non-empty string`);
  return { path: t.path, kind: kindOf(t.kind, at, where), name: t.name };
}

function manifestOf(value: unknown, at: string, where: string): RecipeManifest {
  const m = obj(value) ?? fail(where, `${at} is not an object`);
  if (typeof m.relative_path !== 'string' || !isSafeRelative(m.relative_path) || !/(^|\/)Cargo\.toml$/.test(m.relative_path)) {
    fail(where, `${at}.relative_path must be a relative path to a Cargo.toml inside the project`);
  }
  if (typeof m.contents !== 'string') fail(where, `${at}.contents must be a string`);
  if (m.targets === undefined) fail(where, `${at} has no "targets" (a recipe from a cargo-chef older than 0.1.60); regenerate it`);
  if (!Array.isArray(m.targets)) fail(where, `${at}.targets must be an array`);
  return { relative_path: m.relative_path, contents: m.contents, targets: m.targets.map((t, i) => targetOf(t, `${at}.targets[${i}]`, where)) };
}

function optionalString(value: unknown, at: string, where: string): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : fail(where, `${at} must be a string or null`);
}

// Parses and validates recipe JSON text (ours or cargo-chef's); `where` names the file in errors.
export function parseRecipe(text: string, where: string): Recipe {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(where, `invalid JSON (${(error as Error).message})`);
  }
  const skeleton = obj(obj(json)?.skeleton) ?? fail(where, 'no "skeleton" object at the top level');
  if (!Array.isArray(skeleton.manifests) || skeleton.manifests.length === 0) fail(where, 'skeleton.manifests must be a non-empty array');
  const manifests = skeleton.manifests.map((m, i) => manifestOf(m, `skeleton.manifests[${i}]`, where));
  const toolchain = skeleton.rust_toolchain_file;
  let rustToolchain: Recipe['skeleton']['rust_toolchain_file'] = null;
  if (toolchain !== undefined && toolchain !== null) {
    if (!Array.isArray(toolchain) || toolchain.length !== 2 || (toolchain[0] !== 'Bare' && toolchain[0] !== 'Toml') || typeof toolchain[1] !== 'string') {
      fail(where, 'skeleton.rust_toolchain_file must be ["Bare" or "Toml", contents] or null');
    }
    rustToolchain = [toolchain[0], toolchain[1]];
  }
  return {
    skeleton: {
      manifests,
      config_file: optionalString(skeleton.config_file, 'skeleton.config_file', where),
      lock_file: optionalString(skeleton.lock_file, 'skeleton.lock_file', where),
      rust_toolchain_file: rustToolchain,
    },
  };
}

// Reads and validates a recipe file; a missing file is RECIPE_INVALID with the path.
export async function readRecipeFile(path: string): Promise<Recipe> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BuildStaticError('RECIPE_INVALID', `cannot read the recipe ${path} (${code ?? (error as Error).message}): create it with "build-static plan -o ${path}"`);
  }
  return parseRecipe(text, path);
}

// Compact JSON in cargo-chef's field order, manifests and targets sorted: same input, same bytes.
export function serialiseRecipe(recipe: Recipe): string {
  const s = recipe.skeleton;
  const manifests = [...s.manifests]
    .sort((a, b) => comparePaths(a.relative_path, b.relative_path))
    .map((m) => ({ relative_path: m.relative_path, contents: m.contents, targets: [...m.targets].sort(compareTargets).map((t) => ({ path: t.path, kind: t.kind, name: t.name })) }));
  return JSON.stringify({ skeleton: { manifests, config_file: s.config_file, lock_file: s.lock_file, rust_toolchain_file: s.rust_toolchain_file } });
}

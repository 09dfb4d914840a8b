// `build-static plan`: derives a cargo-chef recipe from a project. Targets come from
// `cargo metadata`; manifests are normalised (normalise.ts), trimmed for --bin (closure.ts),
// checked for paths a recipe cannot carry (local-paths.ts) and version-masked (mask.ts).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { type CargoPackage, readCargoMetadata, requireCargoProject, workspacePackages } from '../cargo/metadata.ts';
import { searchToolchains } from '../toolchain/rust.ts';
import { type ManifestEntry, trimToBinary } from './closure.ts';
import { checkLocalPaths } from './local-paths.ts';
import { maskVersions } from './mask.ts';
import { normaliseManifest, recipeTargets } from './normalise.ts';
import { relativePosix } from './paths.ts';
import { parseToml, stringifyToml } from './toml.ts';
import type { Recipe, RustToolchainFile } from './types.ts';

export interface PlanRecipeOptions {
  readonly dir: string;
  /** Trim the recipe to this binary's (or package's) dependency closure. */
  readonly bin?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface PlannedRecipe {
  readonly recipe: Recipe;
  /** The workspace root every relative path in the recipe starts from. */
  readonly root: string;
  /** Things the user must know, e.g. directories cook needs with their real sources. */
  readonly notes: readonly string[];
}

async function readOptional(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new BuildStaticError('RECIPE_UNSUPPORTED', `cannot read ${path}: ${error.message}`);
  });
}

// rust-toolchain wins over rust-toolchain.toml, as in rustup.
async function toolchainFile(root: string): Promise<RustToolchainFile | null> {
  const bare = await readOptional(join(root, 'rust-toolchain'));
  if (bare !== null) return ['Bare', bare];
  const toml = await readOptional(join(root, 'rust-toolchain.toml'));
  return toml === null ? null : ['Toml', toml];
}

async function manifestEntry(root: string, manifestPath: string, pkg: CargoPackage | undefined): Promise<ManifestEntry> {
  const text = await readFile(manifestPath, 'utf8');
  const doc = normaliseManifest(parseToml(text, manifestPath, 'RECIPE_UNSUPPORTED'), pkg);
  return { relativePath: relativePosix(root, manifestPath), doc, ...(pkg ? { pkg } : {}) };
}

// Reads the project and returns its recipe (pure data; nothing is written).
export async function planRecipe(options: PlanRecipeOptions): Promise<PlannedRecipe> {
  const env = options.env ?? process.env;
  const projectDir = await requireCargoProject(options.dir);
  const cargo = (await searchToolchains(projectDir, env)).first?.cargo;
  if (!cargo) throw new BuildStaticError('TOOLCHAIN_MISSING', 'no Rust toolchain found (no rustc on PATH or in /usr/bin): run ./setup.sh or install Rust with rustup');
  const meta = await readCargoMetadata(projectDir, cargo);
  const root = resolve(meta.workspace_root);
  const lockText = await readOptional(join(root, 'Cargo.lock'));
  if (lockText === null) {
    throw new BuildStaticError('LOCKFILE_MISSING', `no Cargo.lock in ${root}: a recipe pins every dependency's version, so create it with "cargo generate-lockfile --manifest-path ${join(root, 'Cargo.toml')}" (and commit it)`);
  }
  const members = workspacePackages(meta);
  const rootManifest = join(root, 'Cargo.toml');
  let entries: ManifestEntry[] = [];
  for (const pkg of members) entries.push(await manifestEntry(root, resolve(pkg.manifest_path), pkg));
  if (!members.some((p) => resolve(p.manifest_path) === rootManifest)) entries.push(await manifestEntry(root, rootManifest, undefined));
  const notes = checkLocalPaths(root, members, entries.find((e) => e.relativePath === 'Cargo.toml')?.doc);

  const lock = parseToml(lockText, join(root, 'Cargo.lock'), 'RECIPE_UNSUPPORTED');
  if (options.bin !== undefined) entries = trimToBinary(entries, members, root, lock, options.bin);
  maskVersions(entries.map((e) => e.doc), lock);

  const manifests = entries.map((e) => ({
    relative_path: e.relativePath,
    contents: stringifyToml(e.doc),
    targets: e.pkg ? recipeTargets(e.pkg) : [],
  }));
  const config = (await readOptional(join(root, '.cargo', 'config'))) ?? (await readOptional(join(root, '.cargo', 'config.toml')));
  const recipe: Recipe = { skeleton: { manifests, config_file: config, lock_file: stringifyToml(lock), rust_toolchain_file: await toolchainFile(root) } };
  return { recipe, root, notes };
}


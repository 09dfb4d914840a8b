// Writes a recipe's skeleton into a directory: Cargo.lock, the toolchain file, .cargo/config.toml,
// every manifest and a dummy source per target. Refuses paths that would leave the directory, and
// handles the path crates the recipe cannot carry (see local-paths.ts).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { exists } from '../fs.ts';
import { dummySource, usesHarness } from './dummy.ts';
import { externalPaths } from './local-paths.ts';
import { isInside } from './paths.ts';
import { parseToml, stringifyToml } from './toml.ts';
import type { Recipe } from './types.ts';

export interface LayoutOptions {
  /**
   * The real project, when the skeleton is laid out beside it rather than in its place: path crates
   * the recipe does not carry are then used from the project, by absolute path (the same package
   * ids as the real build, so their artefacts are reused). Without it they must be in `dir`.
   */
  readonly projectRoot?: string;
  /** Overwrite files in `dir` that differ from the skeleton's (cook --force). */
  readonly force?: boolean;
}

export interface Layout {
  readonly dir: string;
  readonly files: number;
  /** Directories compiled from their real sources (relative to the root). */
  readonly external: readonly string[];
}

function inside(root: string, relativePath: string): string {
  const path = resolve(root, relativePath);
  if (!isInside(root, path)) throw new BuildStaticError('RECIPE_INVALID', `the recipe writes ${relativePath}, outside ${root}: refusing to lay it out`);
  return path;
}

// Refuses (before anything is written) a skeleton that would overwrite a file with other content:
// the directory holds someone's sources, not an earlier skeleton of this recipe.
async function checkNothingReplaced(root: string, files: ReadonlyArray<readonly [string, string]>): Promise<void> {
  for (const [rel, contents] of files) {
    const old = await readFile(inside(root, rel), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : `\0${e.code}`));
    if (old !== undefined && old !== contents) {
      throw new BuildStaticError(
        'OUTPUT_REFUSED',
        `cook would overwrite ${rel} in ${root} with the recipe's skeleton: run cook in your project (with its Cargo.toml) or in an empty directory, or pass --force to replace it`,
      );
    }
  }
}

// Lays the skeleton out in `dir` (created if needed) and returns what it wrote.
export async function layOutSkeleton(recipe: Recipe, dir: string, options: LayoutOptions = {}): Promise<Layout> {
  const root = resolve(dir);
  const s = recipe.skeleton;
  const docs = s.manifests.map((m) => ({ relativePath: m.relative_path, doc: parseToml(m.contents, `${m.relative_path} in the recipe`) }));
  const external = externalPaths(docs);
  const rewritten = new Set<string>();
  for (const e of external) {
    if (options.projectRoot) {
      e.table.path = resolve(options.projectRoot, e.dir);
      rewritten.add(e.manifest);
    } else if (!(await exists(join(root, e.dir, 'Cargo.toml')))) {
      throw new BuildStaticError(
        'RECIPE_UNSUPPORTED',
        `${e.what} uses ${e.dir}, which is not in ${root}: a recipe cannot carry that crate's sources, so copy ${e.dir} in before cook (e.g. COPY ${e.dir} ${e.dir})`,
      );
    }
  }

  const files: Array<readonly [string, string]> = [];
  if (s.lock_file !== null) files.push(['Cargo.lock', s.lock_file]);
  if (s.rust_toolchain_file) files.push([s.rust_toolchain_file[0] === 'Bare' ? 'rust-toolchain' : 'rust-toolchain.toml', s.rust_toolchain_file[1]]);
  if (s.config_file !== null) files.push(['.cargo/config.toml', s.config_file]);
  for (const [i, m] of s.manifests.entries()) {
    const doc = docs[i]?.doc ?? {};
    files.push([m.relative_path, rewritten.has(m.relative_path) ? stringifyToml(doc) : m.contents]);
    const manifestDir = dirname(m.relative_path);
    for (const target of m.targets) files.push([join(manifestDir, target.path), dummySource(target, usesHarness(doc, target))]);
  }
  if (!options.force) await checkNothingReplaced(root, files);
  await mkdir(root, { recursive: true });
  for (const [rel, contents] of files) {
    const path = inside(root, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, contents);
  }
  return { dir: root, files: files.length, external: [...new Set(external.map((e) => e.dir))] };
}

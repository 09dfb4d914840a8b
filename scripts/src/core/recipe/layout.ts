// Writes a recipe's skeleton into a directory: Cargo.lock, the toolchain file, .cargo/config.toml,
// every manifest and a dummy source per target. Refuses paths that would leave the directory, and
// handles the path crates the recipe cannot carry (see local-paths.ts).
import { mkdir, writeFile } from 'node:fs/promises';
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
}

export interface Layout {
  readonly dir: string;
  readonly files: number;
  /** Directories compiled from their real sources (relative to the root). */
  readonly external: readonly string[];
}

async function put(root: string, relativePath: string, contents: string): Promise<void> {
  const path = resolve(root, relativePath);
  if (!isInside(root, path)) throw new BuildStaticError('RECIPE_INVALID', `the recipe writes ${relativePath}, outside ${root}: refusing to lay it out`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents);
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

  await mkdir(root, { recursive: true });
  let files = 0;
  const write = async (path: string, contents: string) => {
    await put(root, path, contents);
    files++;
  };
  if (s.lock_file !== null) await write('Cargo.lock', s.lock_file);
  if (s.rust_toolchain_file) await write(s.rust_toolchain_file[0] === 'Bare' ? 'rust-toolchain' : 'rust-toolchain.toml', s.rust_toolchain_file[1]);
  if (s.config_file !== null) await write('.cargo/config.toml', s.config_file);
  for (const [i, m] of s.manifests.entries()) {
    const doc = docs[i]?.doc ?? {};
    await write(m.relative_path, rewritten.has(m.relative_path) ? stringifyToml(doc) : m.contents);
    const manifestDir = dirname(m.relative_path);
    for (const target of m.targets) await write(join(manifestDir, target.path), dummySource(target, usesHarness(doc, target)));
  }
  return { dir: root, files, external: [...new Set(external.map((e) => e.dir))] };
}

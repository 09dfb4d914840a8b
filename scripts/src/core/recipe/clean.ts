// After cook, deletes what cargo built from the dummy sources: every unit's fingerprint, output and
// build-script directory of the workspace's own packages, for the target and for the host (build
// scripts, proc-macros). Deleting the fingerprint makes cargo rebuild those crates from the real
// sources whatever their mtimes (COPY can keep mtimes older than the cook), and nothing else.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseToml, tableAt } from './toml.ts';
import type { Recipe } from './types.ts';

const HASH = '[0-9a-f]{16}';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// cargo's directory for a profile: dev and test build into debug, bench into release.
export function profileDir(profile: string): string {
  if (profile === 'dev' || profile === 'test') return 'debug';
  if (profile === 'bench') return 'release';
  return profile;
}

// The local packages and crate names (targets with `-` as `_`) a recipe's skeleton compiles.
export function workspaceUnits(recipe: Recipe): { packages: string[]; crates: string[] } {
  const packages = new Set<string>();
  const crates = new Set<string>();
  for (const m of recipe.skeleton.manifests) {
    const name = tableAt(parseToml(m.contents, `${m.relative_path} in the recipe`), 'package')?.name;
    if (typeof name !== 'string') continue;
    packages.add(name);
    for (const t of m.targets) if (t.kind !== 'BuildScript') crates.add(t.name.replace(/-/g, '_'));
  }
  return { packages: [...packages], crates: [...crates] };
}

async function removeMatching(dir: string, pattern: RegExp, filesOnly = false): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    if (!pattern.test(entry.name) || (filesOnly && !entry.isFile())) continue;
    await rm(join(dir, entry.name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

// Removes the dummies' artefacts from one cargo target dir (CARGO_TARGET_DIR) for `triple` and
// the host; returns how many files and directories went.
export async function removeWorkspaceArtefacts(recipe: Recipe, targetDir: string, triple: string, profile: string): Promise<number> {
  const { packages, crates } = workspaceUnits(recipe);
  if (packages.length === 0) return 0;
  const pkg = new RegExp(`^(${packages.map(escape).join('|')})-${HASH}$`);
  const crate = `(${crates.map(escape).join('|')})`;
  const hashed = new RegExp(`^(lib)?${crate}-${HASH}(\\..+)?$`);
  const uplifted = new RegExp(`^(lib)?${crate}(\\.(rlib|rmeta|so|a|d|pdb|wasm))?$`);
  let removed = 0;
  for (const base of [join(targetDir, triple, profileDir(profile)), join(targetDir, profileDir(profile))]) {
    removed += await removeMatching(join(base, '.fingerprint'), pkg);
    removed += await removeMatching(join(base, 'build'), pkg);
    if (crates.length === 0) continue;
    removed += await removeMatching(join(base, 'deps'), hashed);
    removed += await removeMatching(join(base, 'examples'), hashed);
    removed += await removeMatching(base, uplifted, true);
  }
  return removed;
}

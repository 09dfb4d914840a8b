// `build-static plan`: writes the project's recipe (cargo-chef's recipe.json format).
import { resolve } from 'node:path';
import { planRecipe } from '../../core/recipe/derive.ts';
import { serialiseRecipe } from '../../core/recipe/recipe-json.ts';
import { writeFileAtomic } from '../../core/fs.ts';
import { claimOutput, readJsonQuietly } from '../../core/output-guard.ts';
import { BuildStaticError } from '../../errors.ts';
import { stringFlag } from '../args.ts';
import { defineCommand, OUTPUT_OPTIONS } from '../command.ts';

const HELP = `Usage: build-static plan [DIR] [--bin NAME] [-o FILE]

Writes the recipe of the Rust project in DIR (default: .) for dependency caching: its manifests,
Cargo.lock, toolchain file and .cargo/config.toml, with every target listed and local crate
versions masked to 0.0.1 (a version bump does not change the recipe). The format is
cargo-chef's recipe.json: "cargo chef cook" accepts it, and "build-static cook" accepts
cargo-chef's. Needs Cargo.lock.

Options:
  --bin NAME        keep only what this binary (or package) needs: other workspace members,
                    their [workspace.dependencies] and Cargo.lock entries are left out
  -o, --output FILE where to write the recipe (default recipe.json; "-" for stdout); an existing
                    FILE is replaced only when it is a recipe
  --force           replace an existing FILE that is not a recipe
  --json            print a JSON summary on stdout
  --verbose         print extra detail with errors
  -h, --help        show this help

Typical Dockerfile use:
  build-static plan -o recipe.json            # planner stage, with all sources
  build-static cook --recipe recipe.json      # builder stage, with only the recipe: cached layer
  build-static build                          # after COPY . . — only your crates compile`;

// One planRecipe() call; the recipe goes to -o FILE (claimed like every output) or stdout.
export const planCommand = defineCommand('plan', HELP, {
  options: { bin: { type: 'string' }, output: { type: 'string', short: 'o' }, force: { type: 'boolean' }, ...OUTPUT_OPTIONS },
  onePositional: 'one project directory',
  run: async ({ values, dir }, ctx) => {
    const bin = stringFlag(values.bin);
    const output = stringFlag(values.output) ?? 'recipe.json';
    const planned = await planRecipe({ dir, ...(bin !== undefined ? { bin } : {}) });
    const text = serialiseRecipe(planned.recipe);
    for (const note of planned.notes) ctx.stderr(`build-static: note: ${note}`);
    const manifests = planned.recipe.skeleton.manifests;
    const targets = manifests.reduce((n, m) => n + m.targets.length, 0);
    if (output === '-') {
      ctx.stdout(text);
      return 0;
    }
    const path = await claimOutput({
      path: output,
      flag: '-o',
      kind: 'file',
      force: values.force === true,
      protect: [planned.root, resolve(planned.root, 'Cargo.toml'), resolve(planned.root, 'Cargo.lock')],
      isOwn: isRecipeFile,
      ownMarker: 'not a recipe',
    });
    await writeFileAtomic(path, text).catch((error: Error) => {
      throw new BuildStaticError('OUTPUT_FAILED', `cannot write the recipe to ${path}: ${error.message}`);
    });
    if (ctx.json)
      ctx.stdout(
        JSON.stringify({ ok: true, recipe: path, root: planned.root, manifests: manifests.length, targets, notes: planned.notes }),
      );
    else ctx.stdout(`wrote ${path}: ${manifests.length} manifest(s), ${targets} target(s) of ${planned.root}`);
    return 0;
  },
});

// An earlier recipe (ours or cargo-chef's): JSON with skeleton.manifests.
async function isRecipeFile(path: string): Promise<boolean> {
  const json = (await readJsonQuietly(path)) as { skeleton?: { manifests?: unknown } } | undefined;
  return Array.isArray(json?.skeleton?.manifests);
}

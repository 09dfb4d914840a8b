// `build-static cook`: builds a recipe's dependencies for every platform, with build's flags.
import { escapeStep } from '../../core/exec/escape.ts';
import { type CookResult, cook } from '../../core/recipe/cook.ts';
import { stringFlag } from '../args.ts';
import { defineCommand } from '../command.ts';
import { BUILD_OPTIONS, buildOptionsFrom, eventPrinter, setupLines } from './build-options.ts';

const HELP = `Usage: build-static cook [DIR] [--recipe FILE] [build's options]

Compiles the dependencies listed in a recipe (from "build-static plan" or "cargo chef prepare")
for each platform, with exactly the cargo command "build-static build" will run, then removes
the artefacts of the workspace's own crates so the real sources rebuild. The next
"build-static build DIR" finds every dependency compiled.

DIR (default: .) is where build will run:
  - an empty directory (a Dockerfile stage holding only the recipe): the skeleton — manifests,
    Cargo.lock, toolchain file, .cargo/config.toml and a dummy source per target — is written
    there, and is overwritten by your sources when you COPY them in;
  - your project: nothing in it is touched; the skeleton goes to a scratch directory and the
    dependencies are compiled into the project's target/build-static/<os>-<arch>.

Options:
  --recipe FILE          the recipe (default recipe.json)
  --platform LIST        platforms, comma-separated or repeated (default linux/amd64,linux/arm64)
  --bin NAME             cook for this binary only
  --profile NAME         cargo profile (default release)
  --features LIST        cargo features to enable (comma-separated or repeated)
  --no-default-features  do not enable the default features
  --allocator NAME       as for build (default auto: mimalloc linked in); it is part of the
                         flags, so give cook the one build gets
  --std SOURCE           auto | prebuilt | rustup | build-std (as for build)
  --dry-run              lay out the skeleton and print the cargo commands, build nothing
  --force                lay the skeleton out over files in DIR that differ from it (without it,
                         cook refuses to overwrite anything, e.g. src/main.rs with no Cargo.toml)
  --json                 print one JSON object on stdout
  --verbose              print extra detail with errors
  -h, --help             show this help

Pass cook the same options you pass build (or keep them in [package.metadata.build-static],
which both read): cook and build derive their cargo commands from one plan.`;

// Cook takes build's flags (so a cooked cache matches the build that uses it), minus --out.
const { out: _out, ...BUILD_FLAGS } = BUILD_OPTIONS;

// One cook() call; progress as build prints it, but "cooked in".
export const cookCommand = defineCommand('cook', HELP, {
  options: { recipe: { type: 'string' }, ...BUILD_FLAGS },
  onePositional: 'one directory',
  run: async ({ values, dir }, ctx) => {
    const result = await cook({
      ...buildOptionsFrom(values, dir, ctx),
      recipePath: stringFlag(values.recipe) ?? 'recipe.json',
      onEvent: eventPrinter(ctx, { done: 'cooked', notes: false }),
    });
    ctx.stdout(ctx.json ? JSON.stringify(resultJson(result)) : summary(result));
    return 0;
  },
});

function resultJson(result: CookResult) {
  return {
    ok: true,
    dryRun: result.dryRun,
    mode: result.mode,
    skeleton: result.skeletonDir,
    external: result.external,
    removed: result.removed,
    plan: result.plan.steps.map((s) => ({
      platform: s.platform.id,
      target: s.platform.triple,
      platforms: s.platforms.map((p) => p.id),
      targetDir: s.targetDir,
      argv: s.argv,
      env: s.env,
      cwd: s.cwd,
    })),
  };
}

function summary(result: CookResult): string {
  if (result.dryRun) {
    return [
      ...setupLines(result.plan),
      ...result.plan.steps.map((s) =>
        [`# ${s.platform.id} (${s.platform.triple}), skeleton in ${result.skeletonDir}`, `cd ${s.cwd} && ${escapeStep(s)}`].join('\n'),
      ),
    ].join('\n\n');
  }
  const where = result.plan.steps.map((s) => `${s.platforms.map((p) => p.id).join(', ')}: ${s.targetDir}`).join(', ');
  return `cooked the dependencies (${where}); removed ${result.removed} artefact(s) of the workspace's own crates`;
}

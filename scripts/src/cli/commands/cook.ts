// `build-static cook`: builds a recipe's dependencies for every platform, with build's flags.
import type { BuildEvent } from '../../core/build/events.ts';
import { escapeStep } from '../../core/exec/escape.ts';
import { type CookResult, cook } from '../../core/recipe/cook.ts';
import { BuildStaticError } from '../../errors.ts';
import { parseCommandArgs, stringFlag } from '../args.ts';
import { BUILD_OPTIONS, buildOptionsFrom, setupLines } from './build.ts';
import type { CommandContext } from '../context.ts';
import { EXIT_CODES_HELP } from '../report.ts';

export const COOK_HELP = `Usage: build-static cook [DIR] [--recipe FILE] [build's options]

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
which both read): cook and build derive their cargo commands from one plan.

${EXIT_CODES_HELP}`;

// Cook takes build's flags (so a cooked cache matches the build that uses it), minus --out.
const { out: _out, ...BUILD_FLAGS } = BUILD_OPTIONS;
const OPTIONS = { recipe: { type: 'string' }, ...BUILD_FLAGS } as const;

// Runs the command; returns the exit code (errors propagate to main, which reports them).
export async function cookCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('cook', argv, OPTIONS);
  if (values.help) {
    ctx.stdout(COOK_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new BuildStaticError('USAGE', `cook takes one directory, got ${positionals.length}: ${positionals.join(' ')}`);
  ctx.json = values.json === true;
  ctx.verbose = values.verbose === true;
  const result = await cook({
    ...buildOptionsFrom(values, positionals, ctx),
    recipePath: stringFlag(values.recipe) ?? 'recipe.json',
    onEvent: (event) => showEvent(event, ctx),
  });
  ctx.stdout(ctx.json ? JSON.stringify(resultJson(result)) : summary(result));
  return 0;
}

function showEvent(event: BuildEvent, ctx: CommandContext): void {
  const tag = 'platform' in event && event.platform ? `[${event.platform.id}] ` : '';
  if (event.type === 'toolchain') ctx.stderr(`${tag}toolchain: ${event.rustc}, std: ${event.std}${event.reason ? ` — ${event.reason}` : ''}`);
  else if (event.type === 'setup') ctx.stderr(`setup: ${event.line}`);
  else if (event.type === 'start') ctx.stderr(`${tag}$ ${event.command}`);
  else if (event.type === 'cargo') ctx.stderr(`${tag}${event.line}`);
  else if (event.type === 'finished') ctx.stderr(`${tag}cooked in ${event.seconds.toFixed(1)} s`);
  else ctx.stderr(`build-static: warning: ${event.message}`);
}

function resultJson(result: CookResult) {
  return {
    ok: true,
    dryRun: result.dryRun,
    mode: result.mode,
    skeleton: result.skeletonDir,
    external: result.external,
    removed: result.removed,
    plan: result.plan.steps.map((s) => ({ platform: s.platform.id, target: s.platform.triple, targetDir: s.targetDir, argv: s.argv, env: s.env, cwd: s.cwd })),
  };
}

function summary(result: CookResult): string {
  if (result.dryRun) {
    return [...setupLines(result.plan), ...result.plan.steps.map((s) => [`# ${s.platform.id} (${s.platform.triple}), skeleton in ${result.skeletonDir}`, `cd ${s.cwd} && ${escapeStep(s)}`].join('\n'))].join('\n\n');
  }
  const where = result.plan.steps.map((s) => `${s.platform.id}: ${s.targetDir}`).join(', ');
  return `cooked the dependencies (${where}); removed ${result.removed} artefact(s) of the workspace's own crates`;
}

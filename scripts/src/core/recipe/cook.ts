// `build-static cook`: lays out a recipe's skeleton, builds only the dependencies with exactly
// build's cargo commands, then deletes the dummies' artefacts so the real crates rebuild.
// In an empty directory (a Dockerfile stage) the skeleton goes there; in a directory that holds
// the project, it goes to a scratch directory and cooks into the project's target dirs, so a later
// `build-static build` of the project starts with every dependency compiled.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import type { BuildListener } from '../build/events.ts';
import type { BuildPlan, PlanInput } from '../build/plan.ts';
import { installPending, resolveBuild } from '../build/resolve.ts';
import { runPlan } from '../build/run.ts';
import { readCargoMetadata, workspacePackages } from '../cargo/metadata.ts';
import type { ConfigLayer } from '../config.ts';
import { cacheDir, exists } from '../fs.ts';
import { searchToolchains } from '../toolchain/rust.ts';
import { removeWorkspaceArtefacts, workspaceUnits } from './clean.ts';
import { planCook } from './cook-plan.ts';
import { layOutSkeleton } from './layout.ts';
import { readRecipeFile } from './recipe-json.ts';
import type { Recipe } from './types.ts';

export interface CookOptions extends ConfigLayer {
  /** The project directory (build's DIR), or an empty directory to lay the skeleton out in. */
  readonly dir: string;
  readonly recipePath: string;
  readonly dryRun?: boolean;
  /** Lay the skeleton out even over files with other content (never in a project with Cargo.toml). */
  readonly force?: boolean;
  readonly concurrency?: number;
  readonly onEvent?: BuildListener;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

export interface CookResult {
  readonly mode: 'in-place' | 'beside';
  readonly skeletonDir: string;
  readonly input: PlanInput;
  readonly plan: BuildPlan;
  readonly dryRun: boolean;
  /** Artefacts of the workspace's own crates deleted after the build. */
  readonly removed: number;
  /** Directories compiled from their real sources (path crates the recipe does not carry). */
  readonly external: readonly string[];
}

// Refuses a recipe whose packages are not this project's (a recipe made elsewhere would cook
// the wrong dependencies and the build would miss the cache without saying so).
function checkSameProject(recipe: Recipe, root: string, names: readonly string[], recipePath: string): void {
  const missing = workspaceUnits(recipe).packages.filter((p) => !names.includes(p));
  if (missing.length === 0) return;
  throw new BuildStaticError(
    'RECIPE_INVALID',
    `${recipePath} was made for another project (it has package ${missing.join(', ')}, which ${root} does not; this project has ${names.join(', ')}): run "build-static plan ${root}" to make its recipe`,
  );
}

// Cooks the recipe for every configured platform (or only plans, with dryRun).
export async function cook(options: CookOptions): Promise<CookResult> {
  const env = options.env ?? process.env;
  const emit = options.onEvent ?? (() => undefined);
  const recipe = await readRecipeFile(options.recipePath);
  const dir = resolve(options.dir);
  let skeletonDir = dir;
  let buildDir = dir;
  let targetDirectory: string | undefined;
  let projectRoot: string | undefined;
  let mode: CookResult['mode'] = 'in-place';
  if (await exists(join(dir, 'Cargo.toml'))) {
    const cargo = (await searchToolchains(dir, env)).first?.cargo;
    if (!cargo) throw new BuildStaticError('TOOLCHAIN_MISSING', 'no Rust toolchain found (no rustc on PATH or in /usr/bin): run ./setup.sh or install Rust with rustup');
    const meta = await readCargoMetadata(dir, cargo);
    const root = resolve(meta.workspace_root);
    checkSameProject(recipe, root, workspacePackages(meta).map((p) => p.name), options.recipePath);
    mode = 'beside';
    skeletonDir = join(cacheDir(env), 'skeletons', createHash('sha256').update(root).digest('hex').slice(0, 16));
    buildDir = join(skeletonDir, relative(root, dir));
    targetDirectory = meta.target_directory;
    projectRoot = root;
    await rm(skeletonDir, { recursive: true, force: true });
  }
  const layout = await layOutSkeleton(recipe, skeletonDir, projectRoot ? { projectRoot } : { force: options.force === true });
  const input = await installPending(await resolveBuild(buildDir, options, env), () => resolveBuild(buildDir, options, env), {
    dryRun: options.dryRun,
    onLine: (line) => emit({ type: 'setup', line }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const plan = planCook(input, targetDirectory);
  for (const tc of input.toolchains) {
    emit({ type: 'toolchain', platform: tc.platform, std: tc.rust.std, rustc: tc.rust.toolchain.description, notes: tc.rust.notes, ...(tc.rust.reason ? { reason: tc.rust.reason } : {}) });
  }
  const result = { mode, skeletonDir, input, plan, external: layout.external };
  if (options.dryRun) return { ...result, dryRun: true, removed: 0 };

  await runPlan(plan, { concurrency: options.concurrency, onEvent: emit, signal: options.signal });
  let removed = 0;
  for (const step of plan.steps) {
    for (const platform of step.platforms) removed += await removeWorkspaceArtefacts(recipe, step.targetDir, platform.triple, input.config.profile);
  }
  // Nothing that survives the cleanup refers to a scratch skeleton, so it can go.
  if (mode === 'beside') await rm(skeletonDir, { recursive: true, force: true });
  return { ...result, dryRun: false, removed };
}

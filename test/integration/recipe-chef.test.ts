// Compatibility with the real cargo-chef, over the corpus of workspace shapes: our recipe is
// semantically equal to `cargo chef prepare`'s (also with --bin), `cargo chef cook` accepts ours,
// and our `cook` accepts cargo-chef's — after which `build` of the real sources works and the
// binaries are the real ones, not the dummies; recipes trimmed with --bin cook with both tools and
// build --bin reuses them. Needs cargo-chef (./setup.sh installs it).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { canonicalRecipe } from '../helpers/recipe-equality.ts';
import { SHAPES, type WorkspaceShape, buildShape } from '../helpers/workspace-shapes.ts';

const ENV = { ...process.env, CARGO_TARGET_DIR: undefined, CARGO_TERM_COLOR: 'never' };

function chef(args: string[], cwd: string): void {
  const r = spawnSync('cargo', ['chef', ...args], { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(r.status, `cargo chef ${args.join(' ')} in ${cwd}:\n${r.stderr}`).toBe(0);
}

async function plan(dir: string, out: string, bin?: string): Promise<string> {
  const r = await runCli(['plan', dir, '-o', out, ...(bin ? ['--bin', bin] : [])], { env: ENV });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

// An empty directory holding only the recipe (and the dirs a recipe cannot carry), as in a Dockerfile.
function stage(shape: WorkspaceShape, project: string, recipe: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bs-stage-'));
  cpSync(recipe, join(dir, 'recipe.json'));
  for (const ext of shape.external ?? []) cpSync(join(project, ext), join(dir, ext), { recursive: true });
  return dir;
}

beforeAll(() => {
  const r = spawnSync('cargo', ['chef', '--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('cargo-chef is not installed: run ./setup.sh (it runs "cargo install --locked cargo-chef")');
});

describe.each(SHAPES)('$name', (shape) => {
  let project = '';
  beforeAll(async () => {
    project = await buildShape(shape);
  });

  test('our recipe is semantically equal to cargo-chef\'s', async () => {
    const ours = await plan(project, join(project, 'ours.json'));
    chef(['prepare', '--recipe-path', 'chef.json'], project);
    expect(canonicalRecipe(ours)).toEqual(canonicalRecipe(readFileSync(join(project, 'chef.json'), 'utf8')));
    if (shape.bin) {
      const trimmed = await plan(project, join(project, 'ours-bin.json'), shape.bin);
      chef(['prepare', '--bin', shape.bin, '--recipe-path', 'chef-bin.json'], project);
      expect(canonicalRecipe(trimmed)).toEqual(canonicalRecipe(readFileSync(join(project, 'chef-bin.json'), 'utf8')));
    }
  }, 60_000);

  test('cargo chef cook accepts our recipe', () => {
    const dir = stage(shape, project, join(project, 'ours.json'));
    chef(['cook', '--recipe-path', 'recipe.json'], dir);
  }, 120_000);

  test('our cook accepts cargo-chef\'s recipe, then build uses the real sources', async () => {
    const dir = stage(shape, project, join(project, 'chef.json'));
    const cooked = await runCli(['cook', dir, '--recipe', join(dir, 'recipe.json')], { env: ENV });
    expect(cooked.code, cooked.stderr).toBe(0);
    cpSync(project, dir, { recursive: true });
    const built = await runCli(['build', dir, '--platform', 'linux/amd64', '--out', join(dir, 'out'), '--json'], { env: ENV });
    expect(built.code, built.stderr).toBe(0);
    const outputs = (JSON.parse(built.stdout) as { outputs: Array<{ path: string }> }).outputs;
    expect(outputs.length).toBeGreaterThan(0);
    for (const o of outputs) {
      const run = spawnSync(join(dir, 'out', o.path), { encoding: 'utf8' });
      expect(run.stdout.trim(), `${o.path} printed nothing: the dummy binary survived the cook`).not.toBe('');
    }
  }, 240_000);

  if (shape.bin) test('--bin: trimmed recipes cook with both tools, and build --bin then compiles only local crates', async () => {
    const bin = shape.bin ?? '';
    chef(['cook', '--bin', bin, '--locked'], stage(shape, project, join(project, 'ours-bin.json')));
    const dir = stage(shape, project, join(project, 'chef-bin.json'));
    const cooked = await runCli(['cook', dir, '--recipe', join(dir, 'recipe.json'), '--bin', bin, '--platform', 'linux/amd64'], { env: ENV });
    expect(cooked.code, cooked.stderr).toBe(0);
    cpSync(project, dir, { recursive: true });
    const built = await runCli(['build', dir, '--bin', bin, '--platform', 'linux/amd64', '--out', join(dir, 'out')], { env: ENV });
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr.split('\n').filter((l) => /^\[linux\/amd64\]\s+Compiling \S+ v\S+$/.test(l)), 'third-party crates recompiled').toEqual([]);
  }, 240_000);
});

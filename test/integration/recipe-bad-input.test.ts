// plan and cook on bad input: one clear `build-static: error:` line, exit code 2, nothing built.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.ts';
import { lockfile } from '../helpers/workspace-shapes.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const ENV = { ...process.env, CARGO_TARGET_DIR: undefined };
const pkg = (name: string, extra = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;

async function app(name = 'app', extra = ''): Promise<string> {
  const dir = await new CargoWorkspace().manifest('.', pkg(name, extra)).file('src/main.rs', 'fn main() {}\n').build('bs-bad-');
  lockfile(dir);
  return dir;
}

async function expectBadInput(args: string[], message: RegExp): Promise<void> {
  const result = await runCli(args, { env: ENV });
  expect(result.code, result.stderr).toBe(2);
  const lines = errorLines(result.stderr);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/Compiling/);
}

function recipeFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bs-recipe-')), 'recipe.json');
  writeFileSync(path, text);
  return path;
}

const emptyStage = () => mkdtempSync(join(tmpdir(), 'bs-stage-'));

test('plan: a malformed Cargo.toml reports cargo\'s reason', async () => {
  const dir = await new CargoWorkspace().manifest('.', '[package]\nname = "broken"\nversion = \n').file('src/main.rs', 'fn main() {}\n').build('bs-bad-');
  await expectBadInput(['plan', dir, '-o', join(dir, 'r.json')], /cargo cannot read .*Cargo\.toml: .*(parse|invalid|expected)/i);
});

test('plan: no Cargo.lock says how to create it', async () => {
  const dir = await new CargoWorkspace().manifest('.', pkg('app')).file('src/main.rs', 'fn main() {}\n').build('bs-bad-');
  await expectBadInput(['plan', dir, '-o', join(dir, 'r.json')], /no Cargo\.lock in .*: a recipe pins every dependency's version, so create it with "cargo generate-lockfile --manifest-path .*Cargo\.toml"/);
});

test('plan: a path dependency outside the project root is refused', async () => {
  const shared = await new CargoWorkspace().manifest('.', pkg('shared')).file('src/lib.rs', '').build('bs-shared-');
  const dir = await app('app', `\n[dependencies]\nshared = { path = ${JSON.stringify(shared)} }\n`);
  await expectBadInput(['plan', dir, '-o', join(dir, 'r.json')], /path dependency "shared" of app is at .*, outside the project root .*: a recipe only carries files under the root/);
});

test('plan: a [patch] of a workspace member is refused', async () => {
  const dir = await new CargoWorkspace()
    .manifest('.', '[workspace]\nmembers = ["app", "cfg-if"]\nresolver = "2"\n\n[patch.crates-io]\ncfg-if = { path = "cfg-if" }\n')
    .manifest('app', pkg('app', '\n[dependencies]\ncfg-if = "1"\n')).file('app/src/main.rs', 'fn main() {}\n')
    .manifest('cfg-if', '[package]\nname = "cfg-if"\nversion = "1.0.99"\nedition = "2018"\n').file('cfg-if/src/lib.rs', '')
    .build('bs-bad-');
  lockfile(dir);
  await expectBadInput(['plan', dir, '-o', join(dir, 'r.json')], /\[patch\.crates-io\] cfg-if points at workspace member cfg-if: cook would replace its sources with an empty dummy/);
});

test('plan: --bin names nothing in the workspace', async () => {
  const dir = await app();
  await expectBadInput(['plan', dir, '--bin', 'nope', '-o', join(dir, 'r.json')], /no package or binary named "nope" in the workspace: binaries are app/);
});

test('cook: a recipe from a different project', async () => {
  const other = await app('other');
  const recipe = join(other, 'recipe.json');
  expect((await runCli(['plan', other, '-o', recipe], { env: ENV })).code).toBe(0);
  const dir = await app('app');
  await expectBadInput(['cook', dir, '--recipe', recipe], /recipe\.json was made for another project \(it has package other, which .* does not; this project has app\): run "build-static plan .*"/);
});

test.each([
  ['truncated JSON', (t: string) => t.slice(0, t.length / 2), /is not a usable recipe: invalid JSON/],
  ['not a recipe', () => '{"name":"x"}', /is not a usable recipe: no "skeleton" object at the top level/],
  ['an unknown target kind', (t: string) => t.replace('"Bin"', '"Binary"'), /skeleton\.manifests\[0\]\.targets\[0\]\.kind is "Binary", not one of/],
  ['a path that leaves the directory', (t: string) => t.replace('"src/main.rs"', '"../../escape.rs"'), /targets\[0\]\.path must be a relative path inside the project/],
  ['a manifest that is not TOML', (t: string) => t.replace(/"contents":"\[package\]/, '"contents":"[package'), /Cargo\.toml in the recipe is not valid TOML/],
])('cook: a corrupted recipe (%s)', async (_name, corrupt, message) => {
  const dir = await app();
  const recipe = join(dir, 'recipe.json');
  expect((await runCli(['plan', dir, '-o', recipe], { env: ENV })).code).toBe(0);
  await expectBadInput(['cook', emptyStage(), '--recipe', recipeFile(corrupt(readFileSync(recipe, 'utf8')))], message);
});

test('cook: a missing recipe file says how to make one', async () => {
  await expectBadInput(['cook', emptyStage(), '--recipe', '/nonexistent/recipe.json'], /cannot read the recipe \/nonexistent\/recipe\.json \(ENOENT\): create it with "build-static plan -o/);
});

test('cook: a vendored [patch] directory that was not copied in', async () => {
  const dir = await new CargoWorkspace()
    .manifest('.', pkg('patched', '\n[dependencies]\ncfg-if = "1"\n\n[patch.crates-io]\ncfg-if = { path = "vendor/cfg-if" }\n')).file('src/main.rs', 'fn main() {}\n')
    .manifest('vendor/cfg-if', '[package]\nname = "cfg-if"\nversion = "1.0.99"\nedition = "2018"\n').file('vendor/cfg-if/src/lib.rs', '')
    .build('bs-bad-');
  lockfile(dir);
  const recipe = join(dir, 'recipe.json');
  expect((await runCli(['plan', dir, '-o', recipe], { env: ENV })).code).toBe(0);
  await expectBadInput(['cook', emptyStage(), '--recipe', recipe], /\[patch\.crates-io\] of Cargo\.toml: cfg-if uses vendor\/cfg-if, which is not in .*: .*copy vendor\/cfg-if in before cook/);
});

// Cache behaviour, from the packages build-static reports compiled for each platform: after `cook`, building
// the real sources, then a source-only edit, then a local version bump compile none of the
// third-party crates — in a Dockerfile-style empty stage and when cooking beside the project.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { lockfile } from '../helpers/workspace-shapes.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const ENV = { ...process.env, CARGO_TARGET_DIR: undefined, CARGO_TERM_COLOR: 'never' };
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const THIRD_PARTY = ['cfg-if', 'itoa'];

// A workspace with inherited versions, a build script, and a binary whose required feature is
// the only thing that pulls in itoa (cargo-chef's #146: cook would skip it).
const project = () =>
  new CargoWorkspace()
    .manifest('.', '[workspace]\nmembers = ["app", "engine"]\nresolver = "2"\n\n[workspace.package]\nversion = "0.1.0"\nedition = "2021"\n\n[workspace.dependencies]\nitoa = "1"\ncfg-if = "1"\nengine = { path = "engine", version = "0.1.0" }\n')
    .manifest('app', '[package]\nname = "app"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\nengine.workspace = true\nitoa = { workspace = true, optional = true }\n\n[features]\nfmt = ["dep:itoa"]\n\n[[bin]]\nname = "app-fmt"\npath = "src/bin/fmt.rs"\nrequired-features = ["fmt"]\n')
    .file('app/src/main.rs', 'fn main() { println!("{}", engine::answer()); }\n')
    .file('app/src/bin/fmt.rs', 'fn main() { println!("{}", itoa::Buffer::new().format(engine::answer())); }\n')
    .manifest('engine', '[package]\nname = "engine"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\ncfg-if.workspace = true\n')
    .file('engine/build.rs', 'fn main() { println!("cargo:rustc-env=ENGINE=1"); }\n')
    .file('engine/src/lib.rs', 'cfg_if::cfg_if! { if #[cfg(unix)] { pub fn answer() -> u32 { 42 } } else { pub fn answer() -> u32 { 0 } } }\n')
    .build('bs-cache-');

// The packages each platform compiled, from build-static's `[platform] compiled: a b c` lines
// (--verbose). cargo's own "Compiling" lines cannot say it: one cargo builds both platforms and
// prints each package once.
function compiled(stderr: string): Map<string, string[]> {
  const byPlatform = new Map<string, string[]>(PLATFORMS.map((p) => [p, []]));
  for (const m of stderr.matchAll(/^\[(linux\/\w+)\] compiled: (.*)$/gm)) byPlatform.set(m[1]!, m[2]!.split(' ').sort());
  return byPlatform;
}

async function cli(args: string[]): Promise<Map<string, string[]>> {
  const compiles = args[0] === 'build' || args[0] === 'cook';
  const r = await runCli(compiles ? [...args, '--verbose'] : args, { env: ENV });
  expect(r.code, r.stderr).toBe(0);
  if (compiles)
    for (const platform of PLATFORMS) expect(r.stderr, `${platform} reports what it compiled`).toMatch(new RegExp(`^\\[${platform.replace('/', '\\/')}\\] (built|cooked) in .* packages? compiled`, 'm'));
  return compiled(r.stderr);
}

const thirdParty = (names: readonly string[]) => names.filter((n) => THIRD_PARTY.includes(n));
const local = (names: readonly string[]) => names.filter((n) => !THIRD_PARTY.includes(n));

async function buildRecompilesNoThirdParty(dir: string, expectLocal: readonly string[]): Promise<void> {
  const units = await cli(['build', dir, '--platform', PLATFORMS.join(','), '--out', join(dir, 'out')]);
  for (const platform of PLATFORMS) {
    const here = units.get(platform) ?? [];
    expect(thirdParty(here), `${platform}: third-party crates recompiled`).toEqual([]);
    expect(local(here), `${platform}: local crates`).toEqual([...expectLocal].sort());
  }
}

function bumpVersion(dir: string): void {
  const path = join(dir, 'Cargo.toml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('version = "0.1.0"\nedition', 'version = "0.2.0"\nedition').replace('engine = { path = "engine", version = "0.1.0" }', 'engine = { path = "engine", version = "0.2.0" }'));
  execFileSync('cargo', ['update', '--workspace', '--offline'], { cwd: dir, stdio: 'pipe' });
}

describe('cook, then build', () => {
  let source = '';
  let recipe = '';
  beforeAll(async () => {
    source = await project();
    lockfile(source);
    recipe = join(source, 'recipe.json');
    await cli(['plan', source, '-o', recipe]);
  });

  test('in an empty stage (Dockerfile flow): real sources, a source edit, a version bump', async () => {
    const stage = mkdtempSync(join(tmpdir(), 'bs-stage-'));
    cpSync(recipe, join(stage, 'recipe.json'));
    const cooked = await cli(['cook', stage, '--recipe', join(stage, 'recipe.json'), '--platform', PLATFORMS.join(',')]);
    for (const platform of PLATFORMS) {
      expect(thirdParty(cooked.get(platform) ?? []), `${platform}: cook compiles the dependencies`).toEqual(THIRD_PARTY);
    }

    cpSync(source, stage, { recursive: true });
    await buildRecompilesNoThirdParty(stage, ['app', 'engine']);

    writeFileSync(join(stage, 'app/src/main.rs'), 'fn main() { println!("edited {}", engine::answer()); }\n');
    await buildRecompilesNoThirdParty(stage, ['app']);

    bumpVersion(stage);
    await cli(['plan', stage, '-o', join(stage, 'bumped.json')]);
    expect(readFileSync(join(stage, 'bumped.json'), 'utf8'), 'a version bump keeps the recipe (the cook layer is reused)').toBe(readFileSync(recipe, 'utf8'));
    await buildRecompilesNoThirdParty(stage, ['app', 'engine']);
  }, 600_000);

  test('beside the project: cook leaves the project untouched and build reuses its target dirs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bs-beside-'));
    cpSync(source, dir, { recursive: true });
    const before = readdirSync(dir, { recursive: true }).sort();
    await cli(['cook', dir, '--recipe', recipe, '--platform', PLATFORMS.join(',')]);
    expect(readdirSync(dir, { recursive: true }).filter((p) => !String(p).startsWith('target')).sort()).toEqual(before);
    expect(readFileSync(join(dir, 'app/src/main.rs'), 'utf8')).toContain('engine::answer');
    await buildRecompilesNoThirdParty(dir, ['app', 'engine']);
  }, 600_000);
});

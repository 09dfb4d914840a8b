import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { layOutSkeleton } from '../../../scripts/src/core/recipe/layout.ts';
import type { Recipe, RecipeManifest } from '../../../scripts/src/core/recipe/types.ts';

const manifest = (relative_path: string, contents: string, targets: RecipeManifest['targets']): RecipeManifest => ({ relative_path, contents, targets });

const RECIPE: Recipe = {
  skeleton: {
    manifests: [
      manifest('Cargo.toml', '[workspace]\nmembers = ["app"]\n\n[patch.crates-io]\ncfg-if = { path = "vendor/cfg-if" }\n', []),
      manifest('app/Cargo.toml', '[package]\nname = "app"\nversion = "0.0.1"\n\n[[test]]\nname = "own"\nharness = false\n', [
        { path: 'src/main.rs', kind: 'Bin', name: 'app' },
        { path: 'src/lib.rs', kind: { Lib: { is_proc_macro: false } }, name: 'app' },
        { path: 'tests/own.rs', kind: 'Test', name: 'own' },
        { path: 'tests/plain.rs', kind: 'Test', name: 'plain' },
        { path: 'build.rs', kind: 'BuildScript', name: 'build-script-build' },
      ]),
    ],
    config_file: '[net]\nretry = 3\n',
    lock_file: 'version = 4\n',
    rust_toolchain_file: ['Bare', 'stable\n'],
  },
};

test('in place: every file, a dummy per target; the vendored [patch] must already be there', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bs-layout-'));
  await expect(layOutSkeleton(RECIPE, dir)).rejects.toThrow(/\[patch\.crates-io\] of Cargo\.toml: cfg-if uses vendor\/cfg-if, which is not in .*: .*copy vendor\/cfg-if in before cook/);
  await mkdir(join(dir, 'vendor/cfg-if'), { recursive: true });
  await writeFile(join(dir, 'vendor/cfg-if/Cargo.toml'), '[package]\nname = "cfg-if"\n');
  const layout = await layOutSkeleton(RECIPE, dir);
  expect(layout).toEqual({ dir, files: 10, external: ['vendor/cfg-if'] });
  const read = (p: string) => readFile(join(dir, p), 'utf8');
  expect(await read('rust-toolchain')).toBe('stable\n');
  expect(await read('.cargo/config.toml')).toBe('[net]\nretry = 3\n');
  expect(await read('Cargo.lock')).toBe('version = 4\n');
  expect(await read('app/src/main.rs')).toBe('fn main() {}\n');
  expect(await read('app/src/lib.rs')).toBe('');
  expect(await read('app/tests/own.rs')).toBe('fn main() {}\n');
  expect(await read('app/tests/plain.rs')).toBe('');
  expect(await read('app/build.rs')).toBe('fn main() {}\n');
});

test('beside a project: path crates the recipe lacks are used from the project by absolute path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bs-layout-'));
  const layout = await layOutSkeleton(RECIPE, dir, { projectRoot: '/src/project' });
  expect(layout.external).toEqual(['vendor/cfg-if']);
  expect(await readFile(join(dir, 'Cargo.toml'), 'utf8')).toContain('path = "/src/project/vendor/cfg-if"');
});

test('a manifest path that would leave the directory is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bs-layout-'));
  const evil: Recipe = { skeleton: { ...RECIPE.skeleton, manifests: [manifest('Cargo.toml', '[package]\nname = "x"\n', [{ path: '../../outside.rs', kind: 'Bin', name: 'x' }])] } };
  await expect(layOutSkeleton(evil, join(dir, 'stage'))).rejects.toThrow(/the recipe writes \.\.\/\.\.\/outside\.rs, outside .*: refusing to lay it out/);
});

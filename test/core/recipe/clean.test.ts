import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { profileDir, removeWorkspaceArtefacts } from '../../../scripts/src/core/recipe/clean.ts';
import type { Recipe } from '../../../scripts/src/core/recipe/types.ts';

const RECIPE: Recipe = {
  skeleton: {
    manifests: [
      { relative_path: 'Cargo.toml', contents: '[workspace]\nmembers = ["my-app"]\n', targets: [] },
      {
        relative_path: 'my-app/Cargo.toml',
        contents: '[package]\nname = "my-app"\n',
        targets: [
          { path: 'src/main.rs', kind: 'Bin', name: 'my-app' },
          { path: 'src/lib.rs', kind: { Lib: { is_proc_macro: false } }, name: 'my_app' },
          { path: 'build.rs', kind: 'BuildScript', name: 'build-script-build' },
        ],
      },
    ],
    config_file: null,
    lock_file: null,
    rust_toolchain_file: null,
  },
};

const H = '0123456789abcdef';
const FILES = [
  `x86_64-unknown-linux-musl/release/.fingerprint/my-app-${H}/lib-my_app`,
  `x86_64-unknown-linux-musl/release/.fingerprint/my-app-extra-${H}/keep`,
  `x86_64-unknown-linux-musl/release/.fingerprint/itoa-${H}/keep`,
  `x86_64-unknown-linux-musl/release/deps/libmy_app-${H}.rlib`,
  `x86_64-unknown-linux-musl/release/deps/my_app-${H}`,
  `x86_64-unknown-linux-musl/release/deps/my_app-${H}.d`,
  `x86_64-unknown-linux-musl/release/deps/libmy_app_extra-${H}.rlib`,
  `x86_64-unknown-linux-musl/release/deps/libitoa-${H}.rlib`,
  `x86_64-unknown-linux-musl/release/my_app`,
  `x86_64-unknown-linux-musl/release/libmy_app.rlib`,
  `x86_64-unknown-linux-musl/release/libmy_app.d`,
  `release/build/my-app-${H}/build-script-build`,
  `release/build/itoa-${H}/build-script-build`,
  `release/.fingerprint/my-app-${H}/build`,
];

test('removes the local packages\' units for the target and the host, and nothing else', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bs-clean-'));
  for (const f of FILES) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await writeFile(join(dir, f), '');
  }
  expect(await removeWorkspaceArtefacts(RECIPE, dir, 'x86_64-unknown-linux-musl', 'release')).toBe(9);
  const left = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
  expect(left).toEqual([
    `release/build/itoa-${H}/build-script-build`,
    `x86_64-unknown-linux-musl/release/.fingerprint/itoa-${H}/keep`,
    `x86_64-unknown-linux-musl/release/.fingerprint/my-app-extra-${H}/keep`,
    `x86_64-unknown-linux-musl/release/deps/libitoa-${H}.rlib`,
    `x86_64-unknown-linux-musl/release/deps/libmy_app_extra-${H}.rlib`,
  ]);
});

test.each([
  ['release', 'release'],
  ['bench', 'release'],
  ['dev', 'debug'],
  ['test', 'debug'],
  ['dist', 'dist'],
])('profile %s builds into %s', (profile, dir) => {
  expect(profileDir(profile)).toBe(dir);
});

import { expect, test } from 'vitest';
import { parseRecipe, serialiseRecipe } from '../../../scripts/src/core/recipe/recipe-json.ts';

// The example from cargo-chef's format (serde's compact JSON, fields in declaration order).
const CHEF = JSON.stringify({
  skeleton: {
    manifests: [
      {
        relative_path: 'Cargo.toml',
        contents: '[package]\nname = "app"\nversion = "0.0.1"\n',
        targets: [
          { path: 'src/main.rs', kind: 'Bin', name: 'app' },
          { path: 'src/lib.rs', kind: { Lib: { is_proc_macro: false } }, name: 'app' },
        ],
      },
    ],
    config_file: null,
    lock_file: 'version = 4\n',
    rust_toolchain_file: ['Toml', '[toolchain]\nchannel = "stable"\n'],
  },
});

test('reads cargo-chef\'s recipe and writes it back sorted, in its field order', () => {
  expect(serialiseRecipe(parseRecipe(CHEF, 'recipe.json'))).toMatchInlineSnapshot(
    `"{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"[package]\\nname = \\"app\\"\\nversion = \\"0.0.1\\"\\n","targets":[{"path":"src/lib.rs","kind":{"Lib":{"is_proc_macro":false}},"name":"app"},{"path":"src/main.rs","kind":"Bin","name":"app"}]}],"config_file":null,"lock_file":"version = 4\\n","rust_toolchain_file":["Toml","[toolchain]\\nchannel = \\"stable\\"\\n"]}}"`,
  );
});

test('deterministic: manifest and target order in the input does not matter', () => {
  const manifests = ['crates/b/Cargo.toml', 'Cargo.toml', 'crates/a-b/Cargo.toml', 'crates/a/Cargo.toml'].map((relative_path) => ({
    relative_path,
    contents: '',
    targets: [
      { path: 'src/main.rs', kind: 'Bin', name: 'x' },
      { path: 'build.rs', kind: 'BuildScript', name: 'build-script-build' },
      { path: 'src/lib.rs', kind: { Lib: { is_proc_macro: true } }, name: 'x' },
    ],
  }));
  const a = serialiseRecipe(parseRecipe(JSON.stringify({ skeleton: { manifests, config_file: null, lock_file: null, rust_toolchain_file: null } }), 'a'));
  const b = serialiseRecipe(parseRecipe(JSON.stringify({ skeleton: { manifests: [...manifests].reverse(), config_file: null, lock_file: null } }), 'b'));
  expect(a).toBe(b);
  expect((JSON.parse(a) as { skeleton: { manifests: Array<{ relative_path: string }> } }).skeleton.manifests.map((m) => m.relative_path)).toEqual([
    'Cargo.toml',
    'crates/a/Cargo.toml',
    'crates/a-b/Cargo.toml',
    'crates/b/Cargo.toml',
  ]);
});

test.each([
  ['{', /invalid JSON/],
  ['[]', /no "skeleton" object/],
  ['{"skeleton":{"manifests":[]}}', /manifests must be a non-empty array/],
  ['{"skeleton":{"manifests":[{"relative_path":"x.toml","contents":"","targets":[]}]}}', /relative_path must be a relative path to a Cargo\.toml/],
  ['{"skeleton":{"manifests":[{"relative_path":"/etc/Cargo.toml","contents":"","targets":[]}]}}', /relative_path must be a relative path/],
  ['{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":""}]}}', /has no "targets" \(a recipe from a cargo-chef older than 0\.1\.60\)/],
  ['{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":1,"targets":[]}]}}', /contents must be a string/],
  ['{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"","targets":[{"path":"a.rs","kind":{"Lib":{}},"name":"a"}]}]}}', /kind is \{"Lib":\{\}\}/],
  ['{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"","targets":[]}],"rust_toolchain_file":["Yaml",""]}}', /rust_toolchain_file must be/],
  ['{"skeleton":{"manifests":[{"relative_path":"Cargo.toml","contents":"","targets":[]}],"lock_file":7}}', /lock_file must be a string or null/],
])('rejects %s', (text, message) => {
  expect(() => parseRecipe(text, 'r.json')).toThrow(message);
  expect(() => parseRecipe(text, 'r.json')).toThrow(/^r\.json is not a usable recipe: .*; create it with "build-static plan"/);
});

import TOML from '@iarna/toml';
import { expect, test } from 'vitest';
import { maskLockfile, maskManifest, maskVersions } from '../../../scripts/src/core/recipe/mask.ts';
import type { Table } from '../../../scripts/src/core/recipe/toml.ts';

const LOCAL = new Set(['app', 'core-lib', 'sys']);
const parse = (text: string) => JSON.parse(JSON.stringify(TOML.parse(text))) as Table;

test.each([
  ['[package] version', '[package]\nname = "app"\nversion = "2.0.0"\n', { package: { name: 'app', version: '0.0.1' } }],
  ['an inherited version is left alone', '[package]\nname = "app"\nversion.workspace = true\n', { package: { name: 'app', version: { workspace: true } } }],
  ['[workspace.package] version', '[workspace.package]\nversion = "3.1.4"\n', { workspace: { package: { version: '0.0.1' } } }],
  ['a local path dependency', '[dependencies]\nsys = { path = "../sys", version = "0.3" }\n', { dependencies: { sys: { path: '../sys', version: '0.0.1' } } }],
  ['a renamed one', '[dependencies]\nlib = { path = "../lib", package = "core-lib", version = "1" }\n', { dependencies: { lib: { path: '../lib', package: 'core-lib', version: '0.0.1' } } }],
  ['[target.*] dev-dependencies', '[target.\'cfg(unix)\'.dev-dependencies]\nsys = { path = "s", version = "1" }\n', { target: { 'cfg(unix)': { 'dev-dependencies': { sys: { path: 's', version: '0.0.1' } } } } }],
  ['[workspace.dependencies]', '[workspace.dependencies]\nsys = { path = "s", version = "1" }\nitoa = "1"\n', { workspace: { dependencies: { sys: { path: 's', version: '0.0.1' }, itoa: '1' } } }],
  ['a registry dependency that shares a name', '[dependencies]\nsys = { version = "1" }\n', { dependencies: { sys: { version: '1' } } }],
  ['a path dependency on a non-local crate (vendored)', '[dependencies]\nvendored = { path = "v", version = "1" }\n', { dependencies: { vendored: { path: 'v', version: '1' } } }],
])('%s', (_name, text, expected) => {
  const doc = parse(text);
  maskManifest(doc, LOCAL);
  expect(doc).toEqual(expected);
});

test('Cargo.lock: only local crates without a source are masked', () => {
  const lock = parse('version = 4\n[[package]]\nname = "app"\nversion = "2.0.0"\n[[package]]\nname = "sys"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n[[package]]\nname = "itoa"\nversion = "1.0.0"\n');
  maskLockfile(lock, LOCAL);
  expect((lock.package as Table[]).map((p) => `${p.name} ${p.version}`)).toEqual(['app 0.0.1', 'sys 1.0.0', 'itoa 1.0.0']);
});

test('maskVersions takes the local names from the manifests themselves', () => {
  const a = parse('[package]\nname = "a"\nversion = "1.0.0"\n[dependencies]\nb = { path = "../b", version = "2" }\n');
  const b = parse('[package]\nname = "b"\nversion = "2.0.0"\n');
  const lock = parse('[[package]]\nname = "a"\nversion = "1.0.0"\n[[package]]\nname = "b"\nversion = "2.0.0"\n');
  maskVersions([a, b], lock);
  expect([a, b, lock]).toMatchObject([{ dependencies: { b: { version: '0.0.1' } } }, { package: { version: '0.0.1' } }, { package: [{ version: '0.0.1' }, { version: '0.0.1' }] }]);
});

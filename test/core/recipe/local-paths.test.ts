import TOML from '@iarna/toml';
import { expect, test } from 'vitest';
import { checkLocalPaths, externalPaths } from '../../../scripts/src/core/recipe/local-paths.ts';
import type { Table } from '../../../scripts/src/core/recipe/toml.ts';
import { fakePackage } from './fake-metadata.ts';

const parse = (text: string) => JSON.parse(JSON.stringify(TOML.parse(text))) as Table;

test('externalPaths: path crates and patches that are not manifests of the recipe', () => {
  const manifests = [
    { relativePath: 'Cargo.toml', doc: parse('[workspace]\nmembers = ["app", "lib"]\n[workspace.dependencies]\nlib = { path = "lib" }\nold = { path = "legacy/old" }\n[patch.crates-io]\ncfg-if = { path = "vendor/cfg-if" }\n') },
    { relativePath: 'app/Cargo.toml', doc: parse('[package]\nname = "app"\n[dependencies]\nlib = { path = "../lib" }\n[target.\'cfg(unix)\'.build-dependencies]\ngen = { path = "../tools/gen" }\n') },
    { relativePath: 'lib/Cargo.toml', doc: parse('[package]\nname = "lib"\n') },
  ];
  expect(externalPaths(manifests).map((e) => `${e.dir} ← ${e.what}`)).toEqual([
    'legacy/old ← [workspace.dependencies] of Cargo.toml: old',
    'vendor/cfg-if ← [patch.crates-io] of Cargo.toml: cfg-if',
    "tools/gen ← [target.'cfg(unix)'.build-dependencies] of app/Cargo.toml: gen",
  ]);
});

test('checkLocalPaths: notes for in-root non-members, errors for the rest', () => {
  const app = fakePackage('/w/app', 'app', [['bin', 'app', 'src/main.rs']], [{ name: 'lib', path: '/w/lib' }, { name: 'old', path: '/w/legacy/old' }]);
  const lib = fakePackage('/w/lib', 'lib', [['lib', 'lib', 'src/lib.rs']]);
  expect(checkLocalPaths('/w', [app, lib], parse('[patch.crates-io]\ncfg-if = { path = "vendor/cfg-if" }\nitoa = { git = "https://example.com/itoa" }\n'))).toEqual([
    'path dependency "old" of app uses legacy/old, which is not a workspace member: cook compiles its real sources, so copy legacy/old in before cook (e.g. COPY legacy/old legacy/old)',
    '[patch.crates-io] cfg-if uses vendor/cfg-if, which is not a workspace member: cook compiles its real sources, so copy vendor/cfg-if in before cook (e.g. COPY vendor/cfg-if vendor/cfg-if)',
  ]);
  const outside = fakePackage('/w/app', 'app', [['bin', 'app', 'src/main.rs']], [{ name: 'shared', path: '/elsewhere/shared' }]);
  expect(() => checkLocalPaths('/w', [outside], undefined)).toThrow(/^path dependency "shared" of app is at \/elsewhere\/shared, outside the project root \/w/);
  expect(() => checkLocalPaths('/w', [app, lib], parse('[patch.crates-io]\nx = { path = "../x" }\n'))).toThrow(/^\[patch\.crates-io\] x is at \/x, outside the project root/);
  expect(() => checkLocalPaths('/w', [app, lib], parse('[patch.crates-io]\nlib = { path = "lib" }\n'))).toThrow(/points at workspace member lib/);
  const escaping = fakePackage('/w/app', 'app', [['bin', 'app', '../../shared/main.rs']]);
  expect(() => checkLocalPaths('/w', [escaping], undefined)).toThrow(/the source of target "app" of app is at \/shared\/main\.rs, outside/);
});

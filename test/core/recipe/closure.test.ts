import TOML from '@iarna/toml';
import { expect, test } from 'vitest';
import { memberClosure, trimLockfile, trimToBinary } from '../../../scripts/src/core/recipe/closure.ts';
import type { Table } from '../../../scripts/src/core/recipe/toml.ts';
import { fakePackage } from './fake-metadata.ts';

const api = fakePackage('/w/crates/api', 'api', [['bin', 'api-server', 'src/main.rs']], [{ name: 'model', path: '/w/crates/model' }, { name: 'itoa' }]);
const model = fakePackage('/w/crates/model', 'model', [['lib', 'model', 'src/lib.rs']], [{ name: 'testkit', path: '/w/crates/testkit' }]);
const testkit = fakePackage('/w/crates/testkit', 'testkit', [['lib', 'testkit', 'src/lib.rs']]);
const worker = fakePackage('/w/crates/worker', 'worker', [['bin', 'worker', 'src/main.rs']], [{ name: 'model', path: '/w/crates/model' }]);
const members = [api, model, testkit, worker];

const parse = (text: string) => JSON.parse(JSON.stringify(TOML.parse(text))) as Table;

test.each([
  ['api-server', ['api', 'model', 'testkit']],
  ['api', ['api', 'model', 'testkit']],
  ['worker', ['model', 'testkit', 'worker']],
  ['model', ['model', 'testkit']],
])('closure of %s', (bin, names) => {
  expect(memberClosure(members, bin).map((p) => p.name).sort()).toEqual(names);
});

test('an unknown name lists the binaries', () => {
  expect(() => memberClosure(members, 'nope')).toThrow('no package or binary named "nope" in the workspace: binaries are api-server, worker');
});

test('Cargo.lock keeps what the closure reaches, telling versions and sources apart', () => {
  const lock = parse(`version = 4
[[package]]
name = "api"
version = "0.1.0"
dependencies = ["itoa 1.0.0", "model"]
[[package]]
name = "model"
version = "0.1.0"
[[package]]
name = "worker"
version = "0.1.0"
dependencies = ["itoa 0.4.8", "cfg-if"]
[[package]]
name = "itoa"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "itoa"
version = "0.4.8"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "cfg-if"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
`);
  trimLockfile(lock, memberClosure(members, 'api'));
  expect((lock.package as Table[]).map((p) => `${p.name} ${p.version}`)).toEqual(['api 0.1.0', 'model 0.1.0', 'itoa 1.0.0']);
  expect(lock.version).toBe(4);
});

test('the root manifest is kept and its [workspace] rewritten for the closure', () => {
  const root = parse('[workspace]\nmembers = ["crates/*"]\ndefault-members = ["crates/worker"]\n[workspace.dependencies]\nitoa = "1"\ncfg-if = "1"\nmodel = { path = "crates/model" }\n');
  const entries = [
    { relativePath: 'Cargo.toml', doc: root },
    { relativePath: 'crates/api/Cargo.toml', doc: parse('[package]\nname = "api"\n[dependencies]\nitoa.workspace = true\nmodel = { workspace = true }\n'), pkg: api },
    { relativePath: 'crates/model/Cargo.toml', doc: parse('[package]\nname = "model"\n'), pkg: model },
    { relativePath: 'crates/testkit/Cargo.toml', doc: parse('[package]\nname = "testkit"\n'), pkg: testkit },
    { relativePath: 'crates/worker/Cargo.toml', doc: parse('[package]\nname = "worker"\n[dependencies]\ncfg-if.workspace = true\n'), pkg: worker },
  ];
  const kept = trimToBinary(entries, members, '/w', undefined, 'api-server');
  expect(kept.map((e) => e.relativePath)).toEqual(['Cargo.toml', 'crates/api/Cargo.toml', 'crates/model/Cargo.toml', 'crates/testkit/Cargo.toml']);
  expect(root).toEqual({ workspace: { members: ['crates/api', 'crates/model', 'crates/testkit'], dependencies: { itoa: '1', model: { path: 'crates/model' } } } });
});

import TOML from '@iarna/toml';
import { expect, test } from 'vitest';
import { normaliseManifest, recipeTargets } from '../../../scripts/src/core/recipe/normalise.ts';
import { stringifyToml } from '../../../scripts/src/core/recipe/toml.ts';
import { fakePackage } from './fake-metadata.ts';

const MANIFEST = `[package]
name = "tools"
version = "1.2.3"
edition = "2021"
build = true

[lints.rust]
missing_docs = "deny"

[[bin]]
name = "zeta"
path = "cmd/zeta.rs"

[[bin]]
name = "alpha"
required-features = ["cli"]

[[test]]
name = "runner"
harness = false

[lib]
required-features = ["ignored"]
`;

const pkg = fakePackage('/p', 'tools', [
  ['lib', 'tools', 'src/lib.rs'],
  ['bin', 'zeta', 'cmd/zeta.rs'],
  ['bin', 'alpha', 'src/bin/alpha.rs'],
  ['bin', 'tools', 'src/main.rs'],
  ['example', 'demo', 'examples/demo.rs'],
  ['test', 'runner', 'tests/runner.rs'],
  ['bench', 'speed', 'benches/speed.rs'],
  ['custom-build', 'build-script-build', 'build.rs'],
]);

test('targets cargo discovers become explicit, lints go, [[bin]] is sorted by path', () => {
  expect(stringifyToml(normaliseManifest(TOML.parse(MANIFEST), pkg))).toMatchInlineSnapshot(`
    "[package]
    name = "tools"
    version = "1.2.3"
    edition = "2021"
    build = "build.rs"

    [[bin]]
    name = "zeta"
    path = "cmd/zeta.rs"

    [[bin]]
    name = "alpha"
    required-features = [ "cli" ]
    path = "src/bin/alpha.rs"

    [[bin]]
    path = "src/main.rs"
    name = "tools"

    [[test]]
    name = "runner"
    harness = false
    path = "tests/runner.rs"

    [lib]
    path = "src/lib.rs"
    name = "tools"
    crate-type = [ "lib" ]

    [[example]]
    path = "examples/demo.rs"
    name = "demo"
    crate-type = [ "bin" ]

    [[bench]]
    path = "benches/speed.rs"
    name = "speed"
    "
  `);
});

test('a proc-macro [lib] gets no crate-type; a virtual root only loses its lints', () => {
  const macros = normaliseManifest(TOML.parse('[package]\nname = "m"\n[lib]\nproc-macro = true\n'), fakePackage('/m', 'm', [['proc-macro', 'm', 'src/lib.rs']]));
  expect(macros.lib).toEqual({ 'proc-macro': true, path: 'src/lib.rs', name: 'm' });
  const root = normaliseManifest(TOML.parse('[workspace]\nmembers = ["a"]\n[workspace.lints.rust]\nunsafe_code = "forbid"\n'), undefined);
  expect(JSON.parse(JSON.stringify(root))).toEqual({ workspace: { members: ['a'] } });
});

test('recipe targets: relative paths, cargo-chef order (path, kind, name)', () => {
  expect(recipeTargets(pkg).map((t) => `${t.path} ${JSON.stringify(t.kind)} ${t.name}`)).toMatchInlineSnapshot(`
    [
      "benches/speed.rs "Bench" speed",
      "build.rs "BuildScript" build-script-build",
      "cmd/zeta.rs "Bin" zeta",
      "examples/demo.rs "Example" demo",
      "src/bin/alpha.rs "Bin" alpha",
      "src/lib.rs {"Lib":{"is_proc_macro":false}} tools",
      "src/main.rs "Bin" tools",
      "tests/runner.rs "Test" runner",
    ]
  `);
});

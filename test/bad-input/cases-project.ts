// Projects cargo cannot use: the one line names cargo's own reason (its `Caused by:` lines),
// and nothing of the project changes.
import type { SweepCase } from './harness.ts';
import { all, app, files, link, put, USER_FILES } from './fixtures.ts';

const withUserFiles = (f: Record<string, string>) => files({ ...USER_FILES, ...f });
const MISSING = /manifest is missing either a `\[package\]` or a `\[workspace\]`/;

export const PROJECT_CASES: SweepCase[] = [
  ...(['build', 'plan', 'image', 'dockerfile', 'cook'] as const).map((cmd): SweepCase => ({
    name: `${cmd}: an empty directory`, args: () => [cmd], code: 2, message: /no Cargo\.toml in .*cargo new creates one/,
    ...(cmd === 'cook' ? { setup: withUserFiles({ 'recipe.json': '{}' }), code: 2, message: /recipe/ } : {}),
  })),
  ...(['build', 'plan', 'image', 'dockerfile'] as const).map((cmd): SweepCase => ({
    name: `${cmd}: a directory that does not exist`, args: (d) => [cmd, `${d}/missing`], code: 2, message: /missing does not exist: pass the path of a Rust project/,
  })),
  ...(['build', 'plan', 'dockerfile'] as const).map((cmd): SweepCase => ({
    name: `${cmd}: an empty Cargo.toml`, setup: withUserFiles({ 'Cargo.toml': '' }), args: () => [cmd], code: 2, message: MISSING,
  })),
  ...(['build', 'image'] as const).map((cmd): SweepCase => ({
    name: `${cmd}: Cargo.toml with neither [package] nor [workspace]`, setup: withUserFiles({ 'Cargo.toml': '[badge]\nx = 1\n' }), args: () => [cmd], code: 2, message: MISSING,
  })),
  ...(['build', 'plan'] as const).map((cmd): SweepCase => ({
    name: `${cmd}: a package with no targets`, setup: withUserFiles({ 'Cargo.toml': '[package]\nname = "empty"\nversion = "0.1.0"\nedition = "2021"\n' }), args: () => [cmd], code: 2, message: /no targets specified in the manifest/,
  })),
  ...(['build', 'dockerfile'] as const).map((cmd): SweepCase => ({
    name: `${cmd}: a workspace with zero members`, setup: withUserFiles({ 'Cargo.toml': '[workspace]\nmembers = []\n' }), args: () => [cmd], code: 2, message: /the workspace in .* has no members: list your crates/,
  })),
  ...(['build', 'plan'] as const).map((cmd): SweepCase => ({
    name: `${cmd}: Cargo.toml is a symlink to /dev/zero`, setup: all(withUserFiles({}), link('/dev/zero', 'Cargo.toml')), args: () => [cmd], code: 2, message: /Cargo\.toml is not a regular file/,
  })),
  { name: 'build: Cargo.toml is a directory', setup: all(withUserFiles({}), (d) => put(d, { 'Cargo.toml/x': '' })), args: () => ['build'], code: 2, message: /Cargo\.toml is not a regular file/ },
  { name: 'build: malformed TOML', setup: withUserFiles({ 'Cargo.toml': '[package]\nname = "broken"\nversion = \n' }), args: () => ['build'], code: 2, message: /cargo cannot read .*Cargo\.toml: .*(parse|expected)/i },
  { name: 'build: a library-only crate', setup: withUserFiles({ 'Cargo.toml': '[package]\nname = "lib"\nversion = "0.1.0"\nedition = "2021"\n', 'src/lib.rs': '' }), args: () => ['build'], code: 2, message: /it only has libraries/ },
  { name: 'build: unknown key in [package.metadata.build-static]', setup: app('.', { 'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n[package.metadata.build-static]\nplatfroms = []\n' }), args: () => ['build'], code: 2, message: /unknown key "platfroms"/ },
  { name: 'build: bad platform in Cargo.toml', setup: app('.', { 'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n[package.metadata.build-static]\nplatforms = ["windows/amd64"]\n' }), args: () => ['build'], code: 2, message: /unknown platform "windows\/amd64"/ },
  { name: 'plan: no Cargo.lock', setup: withUserFiles({ 'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n', 'src/main.rs': 'fn main() {}\n' }), args: () => ['plan'], code: 2, message: /Cargo\.lock/ },
  { name: 'image shorthand: DIR without Cargo.toml', setup: withUserFiles({}), args: () => ['./mydata'], code: 2, message: /no Cargo\.toml in .*mydata/ },
  { name: 'image shorthand: a path that does not exist', args: () => ['./nowhere'], code: 2, message: /nowhere does not exist/ },
];

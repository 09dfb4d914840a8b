// rust-version of dependencies: cargo refuses a dependency whose rust-version is above the rustc
// only once the build is under way ("requires rustc X"), so build-static counts every package the
// build compiles — the graph walk as data, the messages of the pure rule, and the real fixture
// test/fixtures/dependency-rust-version (a path dependency, outside the workspace, asking for 1.96;
// a dev-dependency asking for 1.999 that a build never compiles) through cargo and the resolver.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BuildStaticError } from '../../../scripts/src/errors.ts';
import { resolveBuild } from '../../../scripts/src/core/build/resolve.ts';
import { resolvedRustVersion, satisfiesRustVersion } from '../../../scripts/src/core/toolchain/rust-version.ts';
import { selectToolchain } from '../../../scripts/src/core/toolchain/select.ts';

const FIXTURE = new URL('../../fixtures/dependency-rust-version', import.meta.url).pathname;
const { BUILD_STATIC_RUSTC: _pin, RUSTUP_TOOLCHAIN: _tc, ...ENV } = process.env;

const pkg = (id: string, rustVersion: string | null) => ({ id, name: id.split('@')[0] as string, version: id.split('@')[1] as string, manifest_path: '', targets: [], metadata: null, dependencies: [], rust_version: rustVersion });
const edge = (to: string, kind: string | null) => ({ pkg: to, dep_kinds: [{ kind }] });

describe('resolvedRustVersion', () => {
  const meta = {
    packages: [pkg('app@0.1.0', '1.70'), pkg('serde@1.0.0', '1.61'), pkg('cc@1.2.0', '1.80'), pkg('deep@2.0.0', '1.90'), pkg('criterion@0.5.0', '1.999')],
    resolve: { nodes: [
      { id: 'app@0.1.0', deps: [edge('serde@1.0.0', null), edge('cc@1.2.0', 'build'), edge('criterion@0.5.0', 'dev')] },
      { id: 'cc@1.2.0', deps: [edge('deep@2.0.0', null)] },
    ] },
  };

  test('the highest over normal and build edges, transitively; dev-dependencies are not compiled', () => {
    expect(resolvedRustVersion(meta, ['app'], ['app@0.1.0'])).toEqual({ version: '1.90', package: 'deep', dependency: { version: '2.0.0' } });
  });

  test('a member that asks for more wins, and is not called a dependency', () => {
    const higher = { ...meta, packages: meta.packages.map((p) => (p.id === 'app@0.1.0' ? { ...p, rust_version: '1.95' } : p)) };
    expect(resolvedRustVersion(higher, ['app'], ['app@0.1.0'])).toEqual({ version: '1.95', package: 'app' });
  });
});

describe('the rule, for a dependency', () => {
  const stable = { toolchain: { rustc: '/r', cargo: '/c', sysroot: '/s', version: '1.95.0', description: 'rustc 1.95.0', origin: 'PATH' }, stdTargets: 2, canGetStd: true };
  const requirement = { version: '1.96', package: 'newer-dep', dependency: { version: '0.3.0' } };

  test('pinned too old: one line naming the dependency, the rustc it needs and both ways out', () => {
    const s = selectToolchain({ candidates: [stable], requirement, pinnedBy: 'rust-toolchain.toml', rustup: true });
    expect(s.kind).toBe('missing');
    expect(s.kind === 'missing' && s.message).toBe('rust-version 1.96 of dependency newer-dep 0.3.0 needs rustc >= 1.96, but rust-toolchain.toml pins rustc 1.95.0 (PATH): raise the toolchain there, or pin an older newer-dep: cargo update -p newer-dep@0.3.0 --precise <older version>');
  });

  test('not pinned: installed like a rust-version of the project, the reason names the dependency', () => {
    const s = selectToolchain({ candidates: [stable], requirement, rustup: true });
    expect(s).toMatchObject({ kind: 'install', version: '1.96' });
    expect(s.kind === 'install' && s.reason).toMatch(/^rust-version 1\.96 of dependency newer-dep 0\.3\.0: the default rustc 1\.95\.0 \(PATH\) is older/);
  });
});

describe('test/fixtures/dependency-rust-version with real cargo', () => {
  test('a toolchain that satisfies the dependency is chosen before cargo runs', async () => {
    const input = await resolveBuild(FIXTURE, { platforms: ['linux/amd64'] }, ENV);
    const rust = input.toolchains[0]?.rust;
    expect(rust?.reason).toMatch(/^rust-version 1\.96 of dependency newer-dep 0\.3\.0: /);
    expect(satisfiesRustVersion(input.setup ? '1.96.0' : (rust?.toolchain.version ?? ''), '1.96')).toBe(true);
  });

  // BUILD_STATIC_RUSTC pins the search to that rustc alone (a rust-toolchain.toml pin still lets
  // Debian's 1.96 satisfy it); rustup's 1.95.0 is what setup.sh installs as stable here.
  test('pinned to 1.95 by BUILD_STATIC_RUSTC: TOOLCHAIN_MISSING with the cargo update line', async () => {
    const rustc = join(homedir(), '.rustup', 'toolchains', `1.95.0-${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-unknown-linux-gnu`, 'bin', 'rustc');
    if (!existsSync(rustc)) throw new Error(`!!! ${rustc} is missing: install it with \`rustup toolchain install 1.95.0 --profile minimal\` to run this test`);
    const error = await resolveBuild(FIXTURE, { platforms: ['linux/amd64'] }, { ...ENV, BUILD_STATIC_RUSTC: rustc }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildStaticError);
    expect((error as BuildStaticError).code).toBe('TOOLCHAIN_MISSING');
    expect((error as Error).message).toMatch(/^rust-version 1\.96 of dependency newer-dep 0\.3\.0 needs rustc >= 1\.96, but BUILD_STATIC_RUSTC pins rustc 1\.95\.0 .*cargo update -p newer-dep@0\.3\.0 --precise <older version>$/);
  });
});

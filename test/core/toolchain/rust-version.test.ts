// rust-version compared as cargo does, and found across the packages a build compiles.
import { describe, expect, test } from 'vitest';
import type { CargoMetadata, CargoPackage } from '../../../scripts/src/core/cargo/metadata.ts';
import { requiredRustVersion, satisfiesRustVersion, versionParts } from '../../../scripts/src/core/toolchain/rust-version.ts';

describe('satisfiesRustVersion', () => {
  test.each([
    ['1.96.0', '1.96', true],
    ['1.95.0', '1.96', false],
    ['1.96.0', '1.96.1', false],
    ['1.96.2', '1.96.1', true],
    ['1.97.0-nightly', '1.96', true],
    ['1.96.0-beta.3', '1.96', true],
    ['2.0.0', '1.999', true],
    ['1.100.0', '1.99', true],
    ['unknown', '1.0', false],
  ])('rustc %s for rust-version %s: %s', (version, required, ok) => {
    expect(satisfiesRustVersion(version, required)).toBe(ok);
  });

  test('versionParts rejects what is not a version', () => {
    expect(versionParts('stable')).toBeUndefined();
    expect(versionParts('1.96')).toEqual([1, 96, 0]);
  });
});

function pkg(name: string, rust_version: string | null, deps: string[] = [], kind: string | null = null): CargoPackage {
  return { id: `path+file:///w/${name}#0.1.0`, name, version: '0.1.0', manifest_path: `/w/${name}/Cargo.toml`, targets: [], metadata: null, rust_version, dependencies: deps.map((d) => ({ name: d, features: [], kind })) };
}

function meta(...packages: CargoPackage[]): Pick<CargoMetadata, 'packages' | 'workspace_members'> {
  return { packages, workspace_members: packages.filter((p) => p.name !== 'serde').map((p) => p.id) };
}

describe('requiredRustVersion', () => {
  test('none when no package sets it', () => {
    expect(requiredRustVersion(meta(pkg('app', null)), ['app'])).toBeUndefined();
  });
  test('the highest among the binary package and the workspace crates it depends on', () => {
    const m = meta(pkg('app', '1.80', ['core-lib', 'serde']), pkg('core-lib', '1.96', ['util']), pkg('util', '1.90'), pkg('serde', '1.999'), pkg('other', '1.99'));
    expect(requiredRustVersion(m, ['app'])).toEqual({ version: '1.96', package: 'core-lib' });
  });
  test('dev-dependencies are not compiled by a build, so they do not count', () => {
    const m = meta(pkg('app', '1.80', ['bench-lib'], 'dev'), pkg('bench-lib', '1.99'));
    expect(requiredRustVersion(m, ['app'])).toEqual({ version: '1.80', package: 'app' });
  });
  test('several binaries: the highest of them', () => {
    expect(requiredRustVersion(meta(pkg('a', '1.85'), pkg('b', '1.88')), ['a', 'b'])).toEqual({ version: '1.88', package: 'b' });
  });
});

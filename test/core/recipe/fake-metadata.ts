// Hand-written `cargo metadata` packages for the recipe unit tests.
import type { CargoPackage } from '../../../scripts/src/core/cargo/metadata.ts';

export function fakePackage(
  dir: string,
  name: string,
  targets: Array<[kind: string, name: string, path: string]>,
  deps: Array<{ name: string; path?: string }> = [],
  version = '0.1.0',
): CargoPackage {
  return {
    id: `path+file://${dir}#${name}@${version}`,
    name,
    version,
    manifest_path: `${dir}/Cargo.toml`,
    metadata: null,
    targets: targets.map(([kind, tname, path]) => ({ name: tname, kind: [kind], src_path: `${dir}/${path}` })),
    dependencies: deps.map((d) => ({ name: d.name, features: [], kind: null, ...(d.path ? { path: d.path } : {}) })),
  };
}

// Which optional dependencies a build enables, read from real `cargo metadata --no-deps` output of
// throwaway crates: the allocator check must judge the dependencies the build compiles, not every
// dependency Cargo.toml mentions (an allocator behind a default feature is the common case).
import { beforeAll, describe, expect, test } from 'vitest';
import { activeDependencies, enabledFeatures } from '../../../scripts/src/core/cargo/features.ts';
import { type CargoPackage, readCargoMetadata } from '../../../scripts/src/core/cargo/metadata.ts';
import { CargoWorkspace } from '../../helpers/workspace.ts';

const MANIFEST = `[package]
name = "svc"
version = "0.1.0"
edition = "2021"

[features]
default = ["fast-alloc"]
fast-alloc = ["dep:mimalloc"]
jemalloc = ["jemallocator"]
tuned = ["serde?/derive"]
everything = ["fast-alloc", "jemalloc", "tuned", "serde/std"]

[dependencies]
mimalloc = { version = "0.1", optional = true }
jemallocator = { version = "0.5", optional = true }
serde = { version = "1", optional = true, default-features = false }
snmalloc = { package = "snmalloc-rs", version = "0.3", optional = true }
itoa = "1"
`;

let pkg: CargoPackage;

beforeAll(async () => {
  const dir = await new CargoWorkspace().manifest('.', MANIFEST).file('src/main.rs', 'fn main() {}\n').build('bs-features-');
  const meta = await readCargoMetadata(dir, 'cargo');
  pkg = meta.packages.find((p) => p.name === 'svc')!;
});

const active = (features: string[], noDefaultFeatures = false) =>
  activeDependencies(pkg, { features, noDefaultFeatures }).map((d) => d.rename ?? d.name).sort();

describe('activeDependencies', () => {
  test.each([
    ['defaults', [], false, ['itoa', 'mimalloc']],
    ['--no-default-features', [], true, ['itoa']],
    ['--no-default-features --features fast-alloc', ['fast-alloc'], true, ['itoa', 'mimalloc']],
    ['a feature naming the dependency without dep: (implicit feature)', ['jemalloc'], true, ['itoa', 'jemallocator']],
    ['the implicit feature of a renamed optional dependency', ['snmalloc'], true, ['itoa', 'snmalloc']],
    ['a weak dependency feature (serde?/derive) does not enable serde', ['tuned'], true, ['itoa']],
    ['pkg/feature spelling for this package', ['svc/jemalloc'], true, ['itoa', 'jemallocator']],
    ['pkg/feature for another package is ignored', ['other/jemalloc'], true, ['itoa']],
    ['dep/feature enables the dependency, features enabling features recurse', ['everything'], true, ['itoa', 'jemallocator', 'mimalloc', 'serde']],
    ['an unknown feature enables nothing (cargo reports it)', ['nope'], true, ['itoa']],
  ] as const)('%s', (_name, features, noDefault, expected) => {
    expect(active([...features], noDefault)).toEqual(expected);
  });

  test('enabledFeatures follows default and nested features', () => {
    expect([...enabledFeatures(pkg, { features: ['everything'], noDefaultFeatures: false })].sort()).toEqual(['default', 'everything', 'fast-alloc', 'jemalloc', 'jemallocator', 'tuned']);
  });
});

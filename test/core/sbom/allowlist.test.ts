// The SBOM inputs from the real project and machine: `cargo metadata --filter-platform` on
// examples/allowlist (a second or so, no build), its Cargo.lock, and the musl libc.a files here.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { metadataArgv, readChecksums, resolvedMetadata } from '../../../scripts/src/core/sbom/collect.ts';
import { crateGraph, type CrateGraph } from '../../../scripts/src/core/sbom/graph.ts';
import { lockfileChecksums, muslVersion } from '../../../scripts/src/core/sbom/inputs.ts';
import { PLATFORMS } from '../../../scripts/src/core/platform.ts';
import { REPO } from '../../helpers/cli.ts';

const project = join(REPO, 'examples', 'allowlist');
const lock = new Map<string, string>();
const graphs = new Map<string, CrateGraph>();

beforeAll(async () => {
  const text = await readFile(join(project, 'Cargo.lock'), 'utf8');
  for (const m of text.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/g)) lock.set(m[1]!, m[2]!);
  for (const p of PLATFORMS) {
    const meta = await resolvedMetadata({ cargo: 'cargo', manifestPath: join(project, 'Cargo.toml'), cwd: project, triple: p.triple, features: [], noDefaultFeatures: false, locked: true });
    graphs.set(p.id, crateGraph(meta, meta.packages.find((x) => x.name === 'allowlist')!.id));
  }
});

describe.each(PLATFORMS.map((p) => [p.id]))('%s', (id) => {
  test('axum, tokio and serde at their Cargo.lock versions; no windows-sys; no dev-dependency', () => {
    const crates = graphs.get(id)!.crates;
    expect(lock.has('windows-sys')).toBe(true); // the lockfile has it: cargo filtered it out
    for (const name of ['axum', 'tokio', 'serde', 'mimalloc', 'libmimalloc-sys']) {
      expect(crates.find((c) => c.name === name), name).toMatchObject({ version: lock.get(name), scope: 'runtime' });
    }
    expect(crates.map((c) => c.name).filter((n) => /^windows|^winapi/.test(n))).toEqual([]);
    // tower is a dev-dependency of allowlist (and a normal one of axum): no edge from the root
    expect(graphs.get(id)!.root.dependsOn.filter((d) => d.includes('#tower@'))).toEqual([]);
    expect(crates.find((c) => c.name === 'axum')!.dependsOn.filter((d) => d.includes('#tower@'))).toHaveLength(1);
    expect(crates.find((c) => c.name === 'cc')?.scope).toBe('build'); // libmimalloc-sys's build script
    expect(crates.find((c) => c.name === 'tokio')!.features).toEqual(expect.arrayContaining(['macros', 'net', 'rt-multi-thread']));
    expect(crates.find((c) => c.name === 'tokio')!.features).not.toContain('windows-sys');
  });
});

test('Cargo.lock checksums for every registry crate', async () => {
  const sums = await readChecksums(project);
  expect(sums.get(`tokio@${lock.get('tokio')}`)).toMatch(/^[0-9a-f]{64}$/);
  expect(sums.has(`allowlist@0.1.0`)).toBe(false); // local package, no checksum
  expect(() => lockfileChecksums('[[package]\n', 'Cargo.lock')).toThrow('Cargo.lock is not valid TOML');
});

test('metadata argv carries the target and the build\'s feature flags', () => {
  expect(metadataArgv({ cargo: 'cargo', manifestPath: '/p/Cargo.toml', cwd: '/p', triple: 'x86_64-unknown-linux-musl', features: ['a', 'p/b'], noDefaultFeatures: true, locked: true })).toEqual([
    'cargo', 'metadata', '--format-version', '1', '--manifest-path', '/p/Cargo.toml', '--filter-platform', 'x86_64-unknown-linux-musl', '--features', 'a,p/b', '--no-default-features', '--locked',
  ]);
});

test.each(PLATFORMS.map((p) => [p.id, p.muslTriplet]))('musl version from Debian\'s %s libc.a', async (_id, triplet) => {
  const bytes = new Uint8Array(await readFile(`/usr/lib/${triplet}/libc.a`));
  expect(muslVersion(bytes)).toMatch(/^1\.2\.\d+$/);
  expect(muslVersion(new TextEncoder().encode('not an archive'))).toBeUndefined();
});

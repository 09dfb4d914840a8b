// The crate-free copy's manifest edit, on the real manifests it is used for: if someone reshapes
// the mimalloc feature of examples/allowlist or alloc-workload, this fails here, not mid-benchmark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { VARIANTS, withoutMimallocCrate } from '../../../bench/allocator/build.mjs';
import { REPO } from '../../helpers/cli.ts';

test.each(['examples/allowlist', 'bench/allocator/workload'])('%s: the optional mimalloc dependency goes, its feature stays empty', (dir) => {
  const manifest = readFileSync(join(REPO, dir, 'Cargo.toml'), 'utf8');
  expect(manifest).toMatch(/^mimalloc = \{ version = "0\.1", optional = true \}$/m);
  const stripped = withoutMimallocCrate(manifest, dir);
  expect(stripped.split('\n').filter((l) => /^[^#]*mimalloc/.test(l))).toEqual(['default = ["mimalloc"]', 'mimalloc = []']);
  expect(manifest.split('\n').length - stripped.split('\n').length).toBe(1);
});

test('a manifest without the optional dependency is refused, naming the crate', () => {
  expect(() => withoutMimallocCrate('[package]\nname = "x"\n[dependencies]\nmimalloc = "0.1"\n', 'somewhere')).toThrow(/^somewhere\/Cargo.toml does not have the optional mimalloc dependency/);
});

test('the four builds, in the order the tables and the chart show them', () => {
  expect(VARIANTS.map((v) => [v.id, v.want.allocator, v.flags?.join(' ') ?? 'cargo build'])).toEqual([
    ['glibc', 'glibc', 'cargo build'],
    ['musl', 'musl', '--no-default-features --allocator system'],
    ['mimalloc-crate', 'mimalloc', '--allocator auto'],
    ['mimalloc-link', 'mimalloc', '--no-default-features --allocator mimalloc'],
  ]);
});

// The four builds the allocator benchmark compares, and the feature gate they rely on: the
// mimalloc crate of examples/allowlist and alloc-workload sits behind a default `mimalloc` feature,
// so `--no-default-features` leaves the allocator choice to build-static.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { VARIANTS } from '../../../bench/allocator/build.mjs';
import { REPO } from '../../helpers/cli.ts';

test.each(['examples/allowlist', 'bench/allocator/workload'])('%s: mimalloc is an optional dependency behind the default feature', (dir) => {
  const manifest = readFileSync(join(REPO, dir, 'Cargo.toml'), 'utf8');
  expect(manifest).toMatch(/^mimalloc = \{ version = "0\.1", optional = true \}$/m);
  expect(manifest).toMatch(/^default = \["mimalloc"\]$/m);
  expect(manifest).toMatch(/^mimalloc = \["dep:mimalloc"\]$/m);
});

test('the four builds, in the order the tables and the chart show them', () => {
  expect(VARIANTS.map((v) => [v.id, v.want.allocator, v.flags?.join(' ') ?? 'cargo build'])).toEqual([
    ['glibc', 'glibc', 'cargo build'],
    ['musl', 'musl', '--no-default-features --allocator system'],
    ['mimalloc-crate', 'mimalloc', '--allocator auto'],
    ['mimalloc-link', 'mimalloc', '--no-default-features --allocator mimalloc'],
  ]);
});

// build --auditable with real cargo for both musl targets on a tiny project with a path
// dependency: each binary carries a .dep-v0 section (kept by the linker despite --gc-sections and
// strip) that `inspect` prints, and `inspect --json` returns; the default build has none.
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PLATFORMS } from '../../scripts/src/core/platform.ts';
import { runCli } from '../helpers/cli.ts';
import { auditedProject } from '../helpers/audited-project.ts';

let dir = '';
beforeAll(async () => {
  dir = await auditedProject();
});
afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

test('both platforms: the embedded crates are printed by inspect; without --auditable there are none', async () => {
  const built = await runCli(['build', dir, '--auditable', '--json']);
  expect(built.code, built.stderr.slice(-4000)).toBe(0);
  const out = JSON.parse(built.stdout) as { out: string; outputs: Array<{ path: string }> };
  const files = PLATFORMS.map((p) => join(out.out, p.slug, 'audited'));
  const human = await runCli(['inspect', ...files]);
  expect(human.code, human.stderr).toBe(0);
  expect(human.stdout.match(/embedded dependencies \(\.dep-v0\): 1 crates/g)).toHaveLength(2);
  expect(human.stdout).toMatch(/\n {4}audited 0\.1\.0 \(local\) \[root\]\n {4}helper 0\.2\.0 \(local\)\n/);
  const json = JSON.parse((await runCli(['inspect', '--json', ...files])).stdout) as Array<{ machine: string; stripped: boolean; dependencies: { packages: unknown[] } }>;
  expect(json.map((r) => r.machine)).toEqual(['x86_64', 'aarch64']);
  for (const r of json) {
    expect(r.stripped).toBe(true);
    expect(r.dependencies.packages).toEqual([
      { name: 'audited', version: '0.1.0', source: 'local', dependencies: [1], root: true },
      { name: 'helper', version: '0.2.0', source: 'local' },
    ]);
  }
  const plain = await runCli(['build', dir, '--out', join(dir, 'plain'), '--json']);
  expect(plain.code, plain.stderr.slice(-4000)).toBe(0);
  const report = JSON.parse((await runCli(['inspect', '--json', join(dir, 'plain', 'linux-amd64', 'audited')])).stdout) as Array<{ dependencies?: unknown }>;
  expect(report[0]!.dependencies).toBeUndefined();
}, 600_000);

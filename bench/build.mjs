#!/usr/bin/env node
// Benchmark: wall time of building examples/allowlist for linux/amd64 and for linux/arm64 (one
// platform at a time, each in a fresh cargo target dir so every dependency compiles), the
// arm64/amd64 ratio, and both binary sizes. Prints figures; asserts nothing.
// Usage: node bench/build.mjs [--std auto|prebuilt|build-std] [--project DIR] [--json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { std: { type: 'string', default: 'auto' }, project: { type: 'string', default: 'examples/allowlist' }, json: { type: 'boolean' } } });
const repo = new URL('..', import.meta.url).pathname;
const cli = join(repo, 'scripts', 'dist', 'cli', 'main.js');

function buildOnce(platform) {
  const work = mkdtempSync(join(tmpdir(), 'bs-bench-'));
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'build', values.project, '--platform', platform, '--std', values.std, '--out', join(work, 'out'), '--json'], {
    cwd: repo,
    env: { ...process.env, CARGO_TARGET_DIR: join(work, 'target') },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stderr.slice(-4000));
    throw new Error(`build for ${platform} failed with exit ${r.status}`);
  }
  const result = JSON.parse(r.stdout);
  rmSync(work, { recursive: true, force: true });
  const o = result.outputs[0];
  return { platform, seconds, size: o.size, std: o.toolchain.std, rustc: o.toolchain.version, allocator: o.allocator };
}

const rows = ['linux/amd64', 'linux/arm64'].map(buildOnce);
const [amd64, arm64] = rows;
const figures = { project: values.project, std: values.std, builds: rows, ratioArm64ToAmd64: arm64.seconds / amd64.seconds };
if (values.json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log(`build-static bench/build: ${values.project}, cold target dir per platform, std=${values.std}`);
  console.log('platform      wall s   size bytes   std        rustc    allocator');
  for (const r of rows) console.log(`${r.platform.padEnd(12)}  ${r.seconds.toFixed(1).padStart(6)}   ${String(r.size).padStart(10)}   ${r.std.padEnd(9)}  ${r.rustc.padEnd(7)}  ${r.allocator}`);
  console.log(`arm64/amd64 wall-time ratio: ${figures.ratioArm64ToAmd64.toFixed(2)} (cross-compiled, no QEMU)`);
}

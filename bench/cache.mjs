#!/usr/bin/env node
// Benchmark: what dependency caching buys. Times (1) a full build of the example from an empty
// target dir — every dependency compiles, as in a Docker build without a cached layer — and
// (2) the rebuild after a source-only edit once `cook` has compiled the dependencies (the cook
// layer is reused; only the example's own crate compiles). Prints both, the cook time, and the
// ratio. Asserts nothing.
// Usage: node bench/cache.mjs [--project DIR] [--platform LIST] [--json]
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { project: { type: 'string', default: 'examples/allowlist' }, platform: { type: 'string', default: 'linux/amd64,linux/arm64' }, json: { type: 'boolean' } },
});
const repo = new URL('..', import.meta.url).pathname;
const cli = join(repo, 'scripts', 'dist', 'cli', 'main.js');
const env = { ...process.env, CARGO_TARGET_DIR: undefined };
const project = join(repo, values.project);

function timed(label, args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repo, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stderr.slice(-4000));
    throw new Error(`${label} failed with exit ${r.status}`);
  }
  const compiled = (r.stderr.match(/^\[[^\]]+\]\s+Compiling /gm) ?? []).length;
  return { seconds, compiled };
}

// A copy of the project's sources (without its target dir).
function copySources(to) {
  cpSync(project, to, { recursive: true, filter: (src) => basename(src) !== 'target' && basename(src) !== 'node_modules' });
}

const work = mkdtempSync(join(tmpdir(), 'bs-bench-cache-'));
try {
  const full = join(work, 'full');
  copySources(full);
  const fullBuild = timed('full build', ['build', full, '--platform', values.platform, '--out', join(work, 'out-full')]);

  const recipe = join(work, 'recipe.json');
  timed('plan', ['plan', full, '-o', recipe]);
  const stage = join(work, 'stage');
  cpSync(recipe, join(stage, 'recipe.json'));
  const cook = timed('cook', ['cook', stage, '--recipe', join(stage, 'recipe.json'), '--platform', values.platform]);
  copySources(stage);
  appendFileSync(join(stage, 'src', 'main.rs'), `\n// bench/cache: a source-only edit (${new Date().toISOString()})\n`);
  const rebuild = timed('rebuild', ['build', stage, '--platform', values.platform, '--out', join(work, 'out-rebuild')]);

  const figures = { project: values.project, platforms: values.platform, fullBuild, cook, rebuildAfterSourceEdit: rebuild, ratio: fullBuild.seconds / rebuild.seconds };
  if (values.json) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    console.log(`build-static bench/cache: ${values.project}, ${values.platform}`);
    console.log(`full build (empty target dir)         ${fullBuild.seconds.toFixed(1).padStart(7)} s   ${String(fullBuild.compiled).padStart(4)} crates compiled`);
    console.log(`cook (dependencies only, cached layer) ${cook.seconds.toFixed(1).padStart(6)} s   ${String(cook.compiled).padStart(4)} crates compiled`);
    console.log(`rebuild after a source-only edit      ${rebuild.seconds.toFixed(1).padStart(7)} s   ${String(rebuild.compiled).padStart(4)} crates compiled`);
    console.log(`full / rebuild: ${figures.ratio.toFixed(1)}x`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

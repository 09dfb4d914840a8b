#!/usr/bin/env node
// Benchmark: real published binary crates built the way a new user would (`build-static build DIR`,
// default flags, no variables). Each .crate is fetched from the crates registry
// (DL/NAME/VERSION/download, DL from the index's config.json, as cargo does), checked against the pinned sha256 and
// unpacked into a cache outside the clone (~/.cache/build-static-bench/real-world); per crate and
// platform it records built?, static by the ELF, `--version` run (arm64 under qemu), allocator,
// size, build time, and `plan` vs `cargo chef prepare`. Writes bench/results/real-world.json.
// Asserts nothing. Slow: a cold crate is minutes per platform on 2 cores.
// A corpus entry with `label` and `args` is the same .crate built with extra build-static flags
// (features), recorded under its label next to the default-flags entry.
// Usage: node bench/real-world/run.mjs [--only a,b] [--out FILE] [--platform LIST] [--recipe-only]
// (--recipe-only redoes only the plan vs cargo chef comparison of crates already in the results).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import TOML from '@iarna/toml';
import { crateSource } from './fetch.mjs';

const { values } = parseArgs({
  options: { only: { type: 'string' }, out: { type: 'string' }, 'recipe-only': { type: 'boolean' }, platform: { type: 'string', default: 'linux/amd64,linux/arm64' } },
});
const repo = new URL('../..', import.meta.url).pathname;
const cli = join(repo, 'scripts', 'dist', 'cli', 'main.js');
const cache = join(process.env.BUILD_STATIC_BENCH_CACHE ?? join(homedir(), '.cache', 'build-static-bench'), 'real-world');
const outFile = values.out ?? join(repo, 'bench', 'results', 'real-world.json');
const corpus = JSON.parse(readFileSync(join(repo, 'bench', 'real-world', 'corpus.json'), 'utf8')).crates;
const only = values.only?.split(',');
const { BUILD_STATIC_RUSTC: _pin, CARGO_TARGET_DIR: _t, ...env } = process.env;

const source = (c) => crateSource(c, cache);

function run(argv, options = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env, ...options });
  return { ...r, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

// The one error line build-static printed (its contract), or cargo's last error.
function failureLine(stderr) {
  const lines = stderr.split('\n');
  return lines.find((l) => l.startsWith('build-static: error:')) ?? lines.filter((l) => /error/.test(l)).pop() ?? lines.pop();
}

// TOML as comparable data, without the differences that mean nothing to cargo (see
// test/helpers/recipe-equality.ts for the reasons): formatting, empty values, cargo-chef's
// per-target `edition` and its proc-macro `crate-type = ["lib"]`.
function comparable(text) {
  const clean = (v, key) => {
    if (Array.isArray(v)) return v.map((x) => clean(x)).filter((x) => !(Array.isArray(x) && x.length === 0));
    if (typeof v !== 'object' || v === null) return v;
    const out = {};
    for (const [k, x] of Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) {
      if (['bin', 'lib', 'test', 'bench', 'example'].includes(key) && (k === 'edition' || k === 'crate-type')) continue;
      const c = clean(x, k);
      if ((Array.isArray(c) && c.length === 0) || (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0)) continue;
      out[k] = c;
    }
    return out;
  };
  const fixTargets = (doc) => {
    for (const k of ['bin', 'test', 'bench', 'example']) if (Array.isArray(doc[k])) doc[k] = doc[k].map((t) => clean(t, k));
    if (doc.lib) doc.lib = clean(doc.lib, 'lib');
    return doc;
  };
  return fixTargets(clean(JSON.parse(JSON.stringify(TOML.parse(text)))));
}

// `plan` vs `cargo chef prepare`: the same manifests (as data) at the same paths, the same Cargo.lock.
function compareRecipes(dir) {
  const ours = join(dir, '..', `${dir.split('/').pop()}.recipe.json`);
  const p = run([process.execPath, cli, 'plan', dir, '-o', ours]);
  const chef = run(['cargo', 'chef', 'prepare', '--recipe-path', join(dir, 'chef-recipe.json')], { cwd: dir });
  if (p.status !== 0 || chef.status !== 0) return { ok: false, error: p.status !== 0 ? failureLine(p.stderr) : failureLine(chef.stderr) };
  const a = JSON.parse(readFileSync(ours, 'utf8')).skeleton;
  const b = JSON.parse(readFileSync(join(dir, 'chef-recipe.json'), 'utf8')).skeleton;
  rmSync(join(dir, 'chef-recipe.json'));
  const byPath = (s) => new Map(s.manifests.map((m) => [m.relative_path, comparable(m.contents)]));
  const ma = byPath(a);
  const mb = byPath(b);
  const differing = [...new Set([...ma.keys(), ...mb.keys()])].filter((k) => !isDeepStrictEqual(ma.get(k), mb.get(k))).sort();
  const sameLock = isDeepStrictEqual(a.lock_file ? TOML.parse(a.lock_file) : null, b.lock_file ? TOML.parse(b.lock_file) : null);
  return { ok: true, manifests: ma.size, equal: differing.length === 0 && sameLock, sameLock, differing, identicalText: JSON.stringify(a) === JSON.stringify(b) };
}

async function measure(c) {
  const record = { name: c.label ?? c.name, version: c.version, bin: c.bin, ...(c.args ? { crate: c.name, args: c.args } : {}) };
  const dir = await source(c);
  record.lockfile = existsSync(join(dir, 'Cargo.lock'));
  record.rustVersion = /^rust-version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(dir, 'Cargo.toml'), 'utf8'))?.[1] ?? null;
  const b = run([process.execPath, cli, 'build', dir, '--bin', c.bin, '--platform', values.platform, '--json', ...(c.args ?? [])], { env: { ...env, CARGO_TARGET_DIR: join(cache, 'target', c.name) } });
  record.buildSeconds = Math.round(b.seconds);
  record.loadavg = loadavg().map((l) => Number(l.toFixed(2))); // 1/5/15 min when the build ended: the times are informational
  record.toolchain = b.stderr.split('\n').find((l) => / toolchain: /.test(l))?.replace(/^\[[^\]]+\] toolchain: /, '') ?? null;
  // After the build: cargo chef runs through the rustup proxy, which (RUSTUP_AUTO_INSTALL=0) fails
  // on a toolchain file's pin until the build has installed it.
  record.recipe = compareRecipes(dir);
  if (b.status !== 0) return { ...record, built: false, exit: b.status, error: failureLine(b.stderr) };
  const result = JSON.parse(b.stdout);
  record.built = true;
  record.platforms = result.outputs.map((o) => {
    const exe = join(result.out, o.path);
    const argv = o.platform === 'linux/arm64' && process.arch !== 'arm64' ? ['qemu-aarch64-static', exe, ...c.run] : [exe, ...c.run];
    const r = run(argv, { timeout: 60_000 });
    return { platform: o.platform, linkage: o.linkage, allocator: o.allocator, size: o.size, std: o.toolchain.std, rustc: o.toolchain.version, ran: r.status === 0, output: (r.stdout || r.stderr || '').trim().split('\n')[0] };
  });
  return record;
}

// Merged into the results file after every crate, so a stopped run keeps what it measured.
function save(results) {
  const previous = existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')).crates ?? [] : [];
  const merged = [...previous.filter((p) => !results.some((r) => r.name === p.name)), ...results].sort((a, b) => a.name.localeCompare(b.name));
  const machine = { cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))), date: new Date().toISOString() };
  mkdirSync(join(outFile, '..'), { recursive: true });
  writeFileSync(`${outFile}.tmp`, `${JSON.stringify({ machine, crates: merged }, null, 2)}\n`);
  renameSync(`${outFile}.tmp`, outFile);
  return merged;
}

const results = [];
for (const c of corpus) {
  const id = c.label ?? c.name;
  if (only && !only.includes(id)) continue;
  process.stderr.write(`real-world: ${id} ${c.version}...\n`);
  let record;
  try {
    if (values['recipe-only']) {
      const before = existsSync(outFile) ? JSON.parse(readFileSync(outFile, 'utf8')).crates.find((r) => r.name === id) : undefined;
      if (!before) continue;
      record = { ...before, recipe: compareRecipes(await source(c)) };
    } else record = await measure(c);
  } catch (error) {
    record = { name: id, version: c.version, built: false, error: String(error.message ?? error) };
  }
  results.push(record);
  save(results);
  process.stderr.write(`real-world: ${id}: ${record.built ? record.platforms.map((p) => `${p.platform} ${p.linkage} ran=${p.ran}`).join(', ') : `FAILED ${record.error}`} (${record.buildSeconds ?? '?'} s)\n`);
}

const merged = save(results);
console.log(['| crate | version | built | amd64 | arm64 | allocator | size amd64 | build s | recipe = chef |', '|---|---|---|---|---|---|--:|--:|---|']
  .concat(merged.map((r) => {
    const p = (id) => r.platforms?.find((x) => x.platform === id);
    const cell = (x) => (x ? `${x.linkage}${x.ran ? ', ran' : ', did not run'}` : '–');
    return `| ${r.name} | ${r.version} | ${r.built ? 'yes' : `no: ${r.error}`} | ${cell(p('linux/amd64'))} | ${cell(p('linux/arm64'))} | ${p('linux/amd64')?.allocator ?? '–'} | ${p('linux/amd64') ? `${(p('linux/amd64').size / 1048576).toFixed(1)} MiB` : '–'} | ${r.buildSeconds ?? '–'} | ${r.recipe?.ok ? (r.recipe.equal ? `equal (${r.recipe.manifests} manifests)` : `differs: ${[...r.recipe.differing, ...(r.recipe.sameLock ? [] : ['Cargo.lock'])].join(', ')}`) : (r.recipe?.error ?? '–')} |`;
  })).join('\n'));

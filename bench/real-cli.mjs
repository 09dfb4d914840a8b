#!/usr/bin/env node
// Benchmark: what build-static's default allocator does to real published multi-threaded CLIs.
// fd-find (parallel file finder) and diskus (parallel du), fetched from the crates registry by
// version with cargo itself, are built three ways for linux/amd64 — glibc (plain cargo, dynamic),
// build-static --allocator system (musl's malloc), build-static with no flag (mimalloc linked in
// by default) — each checked with `build-static inspect`, then run over a large tree with all
// threads in interleaved rounds: median wall time, ratio to glibc, median peak RSS.
// Needs `npm run build` and GNU time (setup.sh). Usage: node bench/real-cli.mjs [--rounds N] [--tree DIR] [--out FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const REPO = new URL('..', import.meta.url).pathname;
const CLI = join(REPO, 'scripts/dist/cli/main.js');
const APPS = [
  { id: 'fd', crate: 'fd-find', version: '10.5.0', bin: 'fd', args: (tree) => ['--unrestricted', '--type', 'f', '.', tree] },
  { id: 'diskus', crate: 'diskus', version: '0.9.0', bin: 'diskus', args: (tree) => [tree] },
];
const VARIANTS = [
  { id: 'glibc', label: 'glibc (dynamic)', want: 'glibc' },
  { id: 'musl', label: 'build-static --allocator system (musl malloc)', flags: ['--allocator', 'system'], want: 'musl' },
  { id: 'default', label: 'build-static default (mimalloc linked in)', flags: [], want: 'mimalloc' },
];
const quiet = { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 };
const log = (line) => console.error(`bench/real-cli: ${line}`);

// The crate's sources: the .crate cargo downloaded (cargo info fetches it), unpacked once.
function crateSources(work, app) {
  const dir = join(work, `${app.crate}-${app.version}`);
  if (existsSync(join(dir, 'Cargo.toml'))) return dir;
  const cacheRoot = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'registry', 'cache');
  const find = () => (existsSync(cacheRoot) ? readdirSync(cacheRoot) : []).map((d) => join(cacheRoot, d, `${app.crate}-${app.version}.crate`)).find(existsSync);
  if (!find()) execFileSync('cargo', ['info', `${app.crate}@${app.version}`], { ...quiet, cwd: work });
  execFileSync('tar', ['-xzf', find(), '-C', work]);
  return dir;
}

function build(work, app, variant) {
  const src = crateSources(work, app);
  const env = { ...process.env, CARGO_TARGET_DIR: join(work, 'target', app.id, variant.id) };
  log(`building ${app.crate} ${app.version} (${variant.label})`);
  if (variant.id === 'glibc') {
    execFileSync('cargo', ['build', '--release', '--locked', '--quiet', '--bin', app.bin, '--manifest-path', join(src, 'Cargo.toml')], { ...quiet, env });
    return join(env.CARGO_TARGET_DIR, 'release', app.bin);
  }
  const out = join(work, 'out', app.id, variant.id);
  const json = JSON.parse(execFileSync(process.execPath, [CLI, 'build', src, '--platform', 'linux/amd64', '--bin', app.bin, ...variant.flags, '--out', out, '--json'], { ...quiet, env }));
  return join(out, json.outputs[0].path);
}

// One run under GNU time: wall seconds and peak RSS (KiB); the output goes nowhere.
function runOnce(exe, args) {
  const stats = join(tmpdir(), `bs-real-cli-${process.pid}.time`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', stats, exe, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${exe} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.split('\n')[0]}`);
  const [wall, rss] = readFileSync(stats, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds: wall, peakRssKiB: rss };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, tree: { type: 'string', default: '/usr' }, out: { type: 'string' }, work: { type: 'string' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  if (!existsSync(CLI)) throw new Error('the CLI is not built: run npm run build');
  const work = values.work ?? join(tmpdir(), 'bs-bench-real-cli');
  mkdirSync(work, { recursive: true });
  const loadStart = loadavg();
  const exes = {};
  for (const app of APPS) for (const v of VARIANTS) exes[`${app.id}/${v.id}`] = build(work, app, v);
  const reports = JSON.parse(execFileSync(process.execPath, [CLI, 'inspect', ...Object.values(exes), '--json'], { encoding: 'utf8' }));
  Object.keys(exes).forEach((key, i) => {
    const want = VARIANTS.find((v) => key.endsWith(`/${v.id}`)).want;
    if (reports[i].allocator !== want) throw new Error(`${exes[key]} has ${reports[i].allocator}'s allocator, expected ${want}`);
  });
  const samples = Object.fromEntries(Object.keys(exes).map((k) => [k, []]));
  for (const app of APPS) for (const v of VARIANTS) runOnce(exes[`${app.id}/${v.id}`], app.args(values.tree)); // warm the page cache
  for (let round = 0; round < rounds; round++) {
    for (const app of APPS) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const v of order) samples[`${app.id}/${v.id}`].push(runOnce(exes[`${app.id}/${v.id}`], app.args(values.tree)));
    }
    log(`round ${round + 1}/${rounds} done`);
  }
  const results = APPS.map((app) => {
    const glibc = median(samples[`${app.id}/glibc`].map((s) => s.seconds));
    return {
      app: `${app.crate} ${app.version}`, command: `${app.bin} ${app.args(values.tree).join(' ')}`,
      variants: VARIANTS.map((v, i) => {
        const runs = samples[`${app.id}/${v.id}`];
        const seconds = median(runs.map((s) => s.seconds));
        return { id: v.id, label: v.label, allocator: reports[APPS.indexOf(app) * VARIANTS.length + i].allocator, multiThreaded: reports[APPS.indexOf(app) * VARIANTS.length + i].multiThreaded, medianSeconds: seconds, vsGlibc: +(glibc / seconds).toFixed(2), medianPeakRssKiB: median(runs.map((s) => s.peakRssKiB)), seconds: runs.map((s) => s.seconds) };
      }),
    };
  });
  const doc = { benchmark: 'bench/real-cli', tree: values.tree, rounds, cpus: execFileSync('nproc', { encoding: 'utf8' }).trim(), rustc: execFileSync('rustc', ['-V'], { encoding: 'utf8' }).trim(), loadAverage: { start: loadStart, end: loadavg() }, results };
  for (const r of results) {
    console.log(`\n${r.app}: ${r.command}, median of ${rounds}\n\n| build | wall | speed vs glibc | peak RSS |\n|---|--:|--:|--:|`);
    for (const v of r.variants) console.log(`| ${v.label} | ${v.medianSeconds.toFixed(2)} s | ${v.vsGlibc.toFixed(2)}× | ${(v.medianPeakRssKiB / 1024).toFixed(1)} MiB |`);
  }
  if (values.out) {
    writeFileSync(`${values.out}.tmp`, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(`${values.out}.tmp`, values.out);
    log(`wrote ${values.out}`);
  }
  return 0;
}

process.exitCode = await main().catch((e) => { console.error(`bench/real-cli: ${e.message}`); return 1; });

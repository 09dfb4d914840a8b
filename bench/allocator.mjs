#!/usr/bin/env node
// Benchmark: what the allocator does to a static musl binary. The allowlist service under wrk
// (req/s, p50/p99, peak RSS) and an allocation-heavy multi-threaded workload, each built four
// ways: glibc dynamic, musl with musl's malloc, musl + the mimalloc crate, musl + build-static's
// link-time mimalloc. Rounds are interleaved (order rotated each round) so background load hits
// every build alike; medians and ratios to glibc are printed. Asserts nothing.
// Needs `npm run build`, wrk and GNU time (setup.sh). See bench/allocator/README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { APPS, VARIANTS, buildAll } from './allocator/build.mjs';
import { markdownTables, ratiosToGlibc, summariseServer, summariseWorkload, thousands } from './allocator/report.mjs';
import { measureServer, measureWorkload } from './allocator/run.mjs';

const repo = new URL('..', import.meta.url).pathname;
const usage = `usage: node bench/allocator.mjs [--duration S (10)] [--warmup S (2)] [--threads wrk threads (2)] [--connections N (50)]
       [--rounds N (3)] [--ops workload documents (200000)] [--workload-threads LIST (cores,8)] [--out FILE.json] [--json]`;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, threads: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' }, rounds: { type: 'string', default: '3' }, ops: { type: 'string', default: '200000' },
      'workload-threads': { type: 'string', default: `${availableParallelism()},8` }, out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const int = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} wants an integer ≥ ${min}, got "${values[name]}"`);
    return n;
  };
  const workloadThreads = [...new Set(values['workload-threads'].split(',').map((t) => {
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--workload-threads wants positive integers separated by commas, got "${values['workload-threads']}"`);
    return n;
  }))].sort((a, b) => a - b);
  return {
    help: values.help, json: values.json, out: values.out, rounds: int('rounds', 1), ops: int('ops', 1), workloadThreads,
    wrk: { threads: int('threads', 1), connections: int('connections', 1), duration: int('duration', 1), warmup: int('warmup', 0) },
  };
}

function machineFacts() {
  const wrk = spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  return { nproc: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? 'unknown', kernel: release(), rustc: execFileSync('rustc', ['-V'], { encoding: 'utf8' }).trim(), wrk, node: process.version, loadavgStart: loadavg() };
}

async function main() {
  let opts;
  try { opts = options(); } catch (e) { console.error(`bench/allocator: ${e.message.split(". ")[0]} (see --help)`); return 2; }
  if (opts.help) { console.log(usage); return 0; }
  for (const [what, ok] of [['wrk', spawnSync('wrk', ['-v']).error === undefined], ['/usr/bin/time', existsSync('/usr/bin/time')], ['scripts/dist (npm run build)', existsSync(join(repo, 'scripts/dist/cli/main.js'))]]) {
    if (!ok) { console.error(`bench/allocator: ${what} is missing: run ./setup.sh`); return 3; }
  }
  const log = (line) => console.error(`bench/allocator: ${line}`);
  const machine = machineFacts();
  const builds = buildAll(repo, log);

  const rounds = Object.fromEntries(VARIANTS.map((v) => [v.id, { server: [], workload: Object.fromEntries(opts.workloadThreads.map((t) => [t, []])) }]));
  for (let r = 0; r < opts.rounds; r++) {
    const order = [...VARIANTS.slice(r % VARIANTS.length), ...VARIANTS.slice(0, r % VARIANTS.length)];
    for (const v of order) {
      const s = await measureServer(builds[v.id].allowlist.path, opts.wrk);
      rounds[v.id].server.push(s);
      log(`round ${r + 1}/${opts.rounds} ${v.label.padEnd(26)} allowlist ${thousands(s.requestsPerSecond)} req/s, p99 ${s.p99Ms} ms`);
    }
    for (const v of order) {
      for (const threads of opts.workloadThreads) {
        const w = await measureWorkload(builds[v.id].workload.path, { threads, ops: opts.ops });
        rounds[v.id].workload[threads].push(w);
        log(`round ${r + 1}/${opts.rounds} ${v.label.padEnd(26)} workload ${threads} threads ${thousands(w.opsPerSecond)} ops/s`);
      }
    }
  }
  // The same work in every build: equal checksums per thread count.
  for (const threads of opts.workloadThreads) {
    const sums = new Set(VARIANTS.flatMap((v) => rounds[v.id].workload[threads].map((w) => w.checksum)));
    if (sums.size !== 1) throw new Error(`alloc-workload checksums differ between builds at ${threads} threads: ${[...sums].join(', ')}`);
  }

  const variants = VARIANTS.map((v) => ({
    id: v.id,
    label: v.label,
    builds: Object.fromEntries(APPS.map((a) => [a.id, { ...builds[v.id][a.id], path: relative(repo, builds[v.id][a.id].path) }])),
    server: summariseServer(rounds[v.id].server),
    workload: opts.workloadThreads.map((t) => summariseWorkload(t, rounds[v.id].workload[t].map(({ checksum: _, ...w }) => w))),
  }));
  const result = {
    benchmark: 'bench/allocator',
    date: new Date().toISOString(),
    settings: { rounds: opts.rounds, wrk: { threads: opts.wrk.threads, connections: opts.wrk.connections, durationSeconds: opts.wrk.duration, warmupSeconds: opts.wrk.warmup, script: 'bench/allocator/mixed.lua' }, workload: { ops: opts.ops, threads: opts.workloadThreads } },
    machine: { ...machine, loadavgEnd: loadavg() },
    variants,
    ratiosToGlibc: ratiosToGlibc(variants),
  };
  if (opts.out) {
    writeFileSync(`${opts.out}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
    renameSync(`${opts.out}.tmp`, opts.out);
    log(`wrote ${opts.out} (chart: node bench/allocator/chart.mjs ${opts.out})`);
  }
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : markdownTables(result));
  return 0;
}

process.exitCode = await main().catch((e) => { console.error(`bench/allocator: ${e.message}`); return 1; });

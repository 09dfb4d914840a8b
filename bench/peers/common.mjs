// What every section of bench/peers.mjs shares: where things live, running a command with its
// wall time, alternated runs and their medians, the machine and load record, and merging one
// section into bench/results/peers.json so a partial run keeps the sections it did not redo.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { join } from 'node:path';

export const repo = new URL('../..', import.meta.url).pathname;
export const cli = join(repo, 'scripts', 'dist', 'cli', 'main.js');
export const benchCache = process.env.BUILD_STATIC_BENCH_CACHE ?? join(homedir(), '.cache', 'build-static-bench');
export const peersDir = join(benchCache, 'peers');
export const resultsFile = join(repo, 'bench', 'results', 'peers.json');

// The environment every command gets: no target-dir or rustc pin leaking in from the caller.
const { BUILD_STATIC_RUSTC: _pin, CARGO_TARGET_DIR: _t, RUSTFLAGS: _f, ...cleanEnv } = process.env;
export const baseEnv = cleanEnv;

// Runs argv to completion; throws with the tail of stderr when it fails (a bench that silently
// times a failure would report nonsense).
export function run(argv, { env = baseEnv, cwd = repo, allowFail = false, timeout } = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!allowFail && r.status !== 0) {
    throw new Error(
      `${argv.slice(0, 3).join(' ')}… exited ${r.status ?? r.signal} after ${seconds.toFixed(1)} s:\n${(r.stderr ?? r.error?.message ?? '').slice(-3000)}`,
    );
  }
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds };
}

// A peer's command in its own session (`setsid -w`), as build-static's core/exec starts cargo
// (detached): with autogroup scheduling each session gets its own CPU share, so both tools
// compete with the rest of the machine on equal terms.
export const ownSession = (argv) => ['setsid', '-w', ...argv];

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
export const load = () => loadavg().map((l) => round(l));

// Runs each contender `runs` times, alternated (A B, then B A, ...: the order rotates every run so
// neither always goes first), and returns every contender's samples in run order; `progress`
// sees them after every sample, so a long section can save what it has so far.
export async function alternate(runs, contenders, log = () => {}, progress = () => {}) {
  const samples = Object.fromEntries(contenders.map((c) => [c.id, []]));
  for (let i = 0; i < runs; i++) {
    const order = contenders.map((_, k) => contenders[(k + i) % contenders.length]);
    for (const c of order) {
      const sample = await c.run(i);
      samples[c.id].push(sample);
      log(`run ${i + 1}/${runs} ${c.id}: ${JSON.stringify(sample)}`);
      progress(samples);
    }
  }
  return samples;
}

// The machine: cores, CPU model, rustc, kernel.
export function machine() {
  const rustc = run(['rustc', '--version'], { allowFail: true }).stdout.trim();
  // With autogroup scheduling, `nice` only ranks processes within one session: other sessions'
  // `nice -n 19` builds still get a full share. The bench's own group priority is recorded.
  const read = (p) => (existsSync(p) ? readFileSync(p, 'utf8').trim() : undefined);
  const autogroup = { enabled: read('/proc/sys/kernel/sched_autogroup_enabled') === '1', self: read('/proc/self/autogroup') };
  return { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', rustc, autogroup, date: new Date().toISOString() };
}

// The section's record in the results file, if any (the build section keeps crates it did not redo).
export function previousSection(name, file = resultsFile) {
  file ??= resultsFile;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).sections?.[name] : undefined;
}

// Merges one section's record into the results file (temp + rename), keeping the others.
export function saveSection(name, record, file = resultsFile) {
  file ??= resultsFile;
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { sections: {} };
  const next = { ...previous, sections: { ...previous.sections, [name]: record } };
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return next;
}

export const say = (line) => process.stderr.write(`peers: ${line}\n`);

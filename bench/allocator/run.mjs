// Runs one measurement: the allowlist service under wrk, or alloc-workload under /usr/bin/time.
// Each returns one round's figures; bench/allocator.mjs interleaves the rounds across builds.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseWrk } from './wrk.mjs';

const run = promisify(execFile);
const SCRIPT = new URL('mixed.lua', import.meta.url).pathname;

// Starts the service on a free 127.0.0.1 port, in-memory mode; resolves once it is listening.
function startServer(exe) {
  const env = { ...process.env, PORT: '0', BIND_ADDRESS: '127.0.0.1' };
  delete env.REDIS_URL;
  const child = spawn(exe, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${exe} did not say it was listening within 15 s: ${text}`)); }, 15_000);
    child.stderr.on('data', (d) => { text += d; });
    child.stdout.on('data', (d) => {
      text += d;
      const m = /listening on 127\.0\.0\.1:(\d+) \(storage: memory\)/.exec(text);
      if (m) { clearTimeout(timer); resolve({ child, exited, url: `http://127.0.0.1:${m[1]}/` }); }
    });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`${exe} exited (${code}) before listening: ${text.trim()}`)); });
  });
}

// The peak resident set (VmHWM) of a running process, in KiB.
function peakRssKiB(pid) {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(m[1]);
}

// One round of the service: warm-up, then `wrk --latency` with the GET/POST mix; peak RSS read
// just before SIGTERM. Throws on socket errors or non-2xx answers (the numbers would lie).
export async function measureServer(exe, { threads, connections, duration, warmup }) {
  const server = await startServer(exe);
  try {
    const wrk = (seconds, latency) => run('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, ...(latency ? ['--latency'] : []), '-s', SCRIPT, server.url], { timeout: (seconds + 60) * 1000 });
    if (warmup > 0) await wrk(warmup, false);
    const { stdout } = await wrk(duration, true);
    const w = parseWrk(stdout);
    const errors = Object.values(w.socketErrors).reduce((a, b) => a + b, 0);
    if (w.non2xx > 0 || errors > 0) throw new Error(`${exe}: ${w.non2xx} non-2xx answers and ${errors} socket errors under wrk:\n${stdout}`);
    return { requestsPerSecond: w.requestsPerSecond, p50Ms: w.latencyMs.p50, p99Ms: w.latencyMs.p99, peakRssKiB: peakRssKiB(server.child.pid), requests: w.requests, non2xx: w.non2xx };
  } finally {
    server.child.kill('SIGTERM');
    const code = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    if (code === 'timeout') server.child.kill('SIGKILL');
  }
}

// One round of alloc-workload at a thread count; peak RSS from GNU time's %M (KiB).
export async function measureWorkload(exe, { threads, ops }) {
  const dir = mkdtempSync(join(tmpdir(), 'bs-bench-alloc-'));
  try {
    const rss = join(dir, 'rss');
    const { stdout } = await run('/usr/bin/time', ['-f', '%M', '-o', rss, exe, '--threads', String(threads), '--ops', String(ops)], { timeout: 600_000 });
    const out = JSON.parse(stdout);
    if (out.ops !== ops || out.threads !== threads) throw new Error(`${exe} did ${out.ops} ops on ${out.threads} threads, not ${ops} on ${threads}`);
    return { opsPerSecond: out.ops_per_second, elapsedSeconds: out.elapsed_seconds, peakRssKiB: Number(readFileSync(rss, 'utf8').trim()), checksum: out.checksum };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

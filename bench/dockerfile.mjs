#!/usr/bin/env node
// Benchmark: the arm64 image of a Rust project built from the Dockerfile `build-static dockerfile`
// renders (compile stages on $BUILDPLATFORM, cross-compiling: no QEMU) vs the same Dockerfile with
// the compile stages moved to $TARGETPLATFORM (rustc and cargo run under qemu-user: the old way).
// Both with podman, cold (fresh cache-mount ids and --no-cache), the same muslrust-chef image and
// base from a local registry; each result's binary is checked static aarch64 with build-static
// inspect. Prints wall times and the ratio; asserts nothing. The emulated build can take very long:
// --emulated-timeout (minutes) stops it and reports a lower bound.
// Usage: node bench/dockerfile.mjs [--project examples/allowlist] [--emulated-timeout 90] [--json] [--out FILE]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchRegistry } from './registry.mjs';

const { values } = parseArgs({
  options: { project: { type: 'string', default: 'examples/allowlist' }, 'emulated-timeout': { type: 'string', default: '90' }, json: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('usage: node bench/dockerfile.mjs [--project DIR] [--emulated-timeout MINUTES] [--json] [--out FILE]');
  process.exit(0);
}
const repo = new URL('..', import.meta.url).pathname;
const cli = join(repo, 'scripts', 'dist', 'cli', 'main.js');
const project = resolve(repo, values.project);
const timeoutMin = Number(values['emulated-timeout']);
if (!(timeoutMin > 0)) {
  console.error(`bench/dockerfile: --emulated-timeout must be a positive number of minutes, got "${values['emulated-timeout']}"`);
  process.exit(2);
}
const log = (line) => process.stderr.write(`bench/dockerfile: ${line}\n`);
// This machine's CA bundle over the image's during RUN steps (not baked in): crates.io may be behind
// a TLS-intercepting proxy only the host trusts.
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';

const work = mkdtempSync(join(tmpdir(), 'bs-bench-dockerfile-'));
const registry = await startBenchRegistry(work);
const host = registry.host;

// Runs a command to completion (output to our stderr, prefixed), resolving with its wall time;
// rejects on failure; with a timeout, kills it and resolves { timedOut: true }.
function timed(argv, { timeoutMs, prefix } = {}) {
  return new Promise((res, rej) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let tail = '';
    let compiled = 0;
    const forward = (d) => {
      const text = d.toString();
      compiled += (text.match(/Compiling /g) ?? []).length;
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`[${prefix}] ${line}\n`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    let timedOut = false;
    const timer = timeoutMs ? setTimeout(() => { timedOut = true; try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs) : undefined;
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (timedOut) res({ seconds, timedOut: true, compiled });
      else if (code === 0) res({ seconds, timedOut: false, compiled });
      else rej(new Error(`${argv.join(' ')} exited ${code}:\n${tail}`));
    });
  });
}

// The binary inside the built image, checked with build-static inspect.
function inspectImage(image, bin) {
  const dir = mkdtempSync(join(work, 'bin-'));
  const id = execFileSync('podman', ['create', '--platform', 'linux/arm64', image], { encoding: 'utf8' }).trim();
  try {
    execFileSync('podman', ['cp', `${id}:/usr/local/bin/${bin}`, join(dir, bin)]);
  } finally {
    execFileSync('podman', ['rm', id], { stdio: 'ignore' });
  }
  const report = JSON.parse(execFileSync(process.execPath, [cli, 'inspect', join(dir, bin), '--json'], { encoding: 'utf8' }))[0] ?? {};
  return { ...report, sizeBytes: statSync(join(dir, bin)).size };
}

try {
  log('muslrust-chef (built once, cached by podman; not part of the figures)');
  const chef = JSON.parse(execFileSync(process.execPath, [join(repo, 'images/muslrust-chef/build.mjs'), '--registry', host, '--org', 'bench-dockerfile', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  execFileSync(process.execPath, [join(repo, 'images/static-base/build.mjs'), join(work, 'base')], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('skopeo', ['copy', '--all', '--quiet', '--dest-tls-verify=false', `oci:${join(work, 'base')}:latest`, `docker://${host}/chainguard/static:latest`]);

  const rendered = JSON.parse(execFileSync(process.execPath, [cli, 'dockerfile', project, '--chef-image', chef.ref, '--base', `${host}/chainguard/static:latest`, '--json'], { encoding: 'utf8' }));
  const bin = /ENTRYPOINT \["\/usr\/local\/bin\/([^"]+)"\]/.exec(rendered.dockerfile)?.[1];
  const nonce = `${process.pid}-${Date.now()}`;
  const variants = [
    { id: 'cross', label: 'cross-compiled on $BUILDPLATFORM', dockerfile: rendered.dockerfile },
    { id: 'emulated', label: 'compiled under QEMU on $TARGETPLATFORM', dockerfile: rendered.dockerfile.replaceAll('FROM --platform=$BUILDPLATFORM', 'FROM --platform=$TARGETPLATFORM') },
  ];
  if (variants[1].dockerfile === variants[0].dockerfile) throw new Error('the rendered Dockerfile has no FROM --platform=$BUILDPLATFORM stage to move');
  const results = [];
  for (const v of variants) {
    const file = join(work, `Dockerfile.${v.id}`);
    // Fresh cache-mount ids: a cold build for each variant, nothing shared between them.
    writeFileSync(file, v.dockerfile.replaceAll('id=build-static-', `id=bench-${nonce}-${v.id}-`));
    const image = `localhost/bench-dockerfile-${v.id}:${nonce}`;
    log(`${v.id}: ${v.label}`);
    const argv = ['podman', 'build', '--platform', 'linux/arm64', '--no-cache', '--tls-verify=false', '--build-arg', 'BUILDPLATFORM=linux/amd64',
      '--volume', `${HOST_CA}:${HOST_CA}:ro`, '-f', file, '-t', image, project];
    const run = await timed(argv, { prefix: v.id, timeoutMs: v.id === 'emulated' ? timeoutMin * 60_000 : undefined });
    const report = run.timedOut ? undefined : inspectImage(image, bin);
    results.push({ variant: v.id, label: v.label, seconds: Math.round(run.seconds * 10) / 10, timedOut: run.timedOut, cratesCompiled: run.compiled, binary: report ? { linkage: report.linkage, machine: report.machine, allocator: report.allocator, size: report.sizeBytes } : undefined });
    if (report && (report.machine !== 'aarch64' || !/^static/.test(report.linkage))) throw new Error(`${v.id}: ${bin} in ${image} is ${report.linkage} ${report.machine}, not static aarch64`);
  }
  const [cross, emulated] = results;
  const figures = {
    project: values.project, bin, platform: 'linux/arm64', engine: 'podman', date: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number) },
    results, ratio: Math.round((emulated.seconds / cross.seconds) * 10) / 10, ratioIsLowerBound: emulated.timedOut,
  };
  if (values.out) { writeFileSync(`${values.out}.tmp`, `${JSON.stringify(figures, null, 2)}\n`); renameSync(`${values.out}.tmp`, values.out); }
  if (values.json) console.log(JSON.stringify(figures, null, 2));
  else {
    console.log(`build-static bench/dockerfile: ${values.project} (${bin}) for linux/arm64 with podman, cold, on ${figures.machine.cores} cores`);
    for (const r of results) console.log(`  ${r.label.padEnd(42)} ${r.timedOut ? '>' : ' '}${r.seconds.toFixed(1).padStart(8)} s  ${r.cratesCompiled} crates compiled, ${r.binary ? `${r.binary.linkage} ${r.binary.machine}` : 'stopped at the timeout'}`);
    console.log(`  emulated / cross: ${figures.ratioIsLowerBound ? '≥ ' : ''}${figures.ratio}×`);
  }
} finally {
  registry.stop();
}

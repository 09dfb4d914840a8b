#!/usr/bin/env node
// Benchmark: `build-static bundle` on real Debian programs — wall time and bundle size, next to
// the sum of the executable's `ldd` closure (executable + every library ldd lists, real files).
// Prints figures; asserts nothing. Usage: node bench/bundle.mjs [--json]
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
const cli = join(new URL('..', import.meta.url).pathname, 'scripts', 'dist', 'cli', 'main.js');
const PY = 'import json,sys; print(json.dumps({"ok": sys.version_info[0]}))';
const PROGRAMS = [
  { name: 'jq', exe: '/usr/bin/jq', flags: [] },
  { name: 'getent --nss', exe: '/usr/bin/getent', flags: ['--nss'] },
  { name: 'sqlite3', exe: '/usr/bin/sqlite3', flags: [] },
  { name: 'curl --nss --certs', exe: '/usr/bin/curl', flags: ['--nss', '--certs'] },
  { name: 'python3 --dynamic', exe: '/usr/bin/python3', flags: ['--dynamic', '--dynamic-arg=-c', `--dynamic-arg=${PY}`] },
];

function treeBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) total += treeBytes(p);
    else if (st.isFile()) total += st.size;
  }
  return total;
}

function lddBytes(exe) {
  const out = spawnSync('ldd', [exe], { encoding: 'utf8' }).stdout;
  const paths = new Set([realpathSync(exe)]);
  for (const m of out.matchAll(/(?:=>\s+)?(\/\S+)\s+\(0x/g)) paths.add(realpathSync(m[1]));
  return { libs: paths.size - 1, bytes: [...paths].reduce((sum, p) => sum + statSync(p).size, 0) };
}

const rows = PROGRAMS.map(({ name, exe, flags }) => {
  const work = mkdtempSync(join(tmpdir(), 'bs-bench-bundle-'));
  const out = join(work, 'out');
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'bundle', exe, out, ...flags, '--json'], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`bundle ${name} failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  const row = { name, seconds, bundleBytes: treeBytes(out), files: result.files, symlinks: result.symlinks, ldd: lddBytes(exe) };
  rmSync(work, { recursive: true, force: true });
  return row;
});

const mib = (n) => (n / 1024 / 1024).toFixed(2);
if (values.json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log('build-static bench/bundle: bundle size and time vs the ldd closure (executable + libraries)');
  console.log('program              wall s   bundle MiB  files  links   ldd MiB  ldd libs');
  for (const r of rows) console.log(`${r.name.padEnd(19)}  ${r.seconds.toFixed(2).padStart(6)}   ${mib(r.bundleBytes).padStart(10)}  ${String(r.files).padStart(5)}  ${String(r.symlinks).padStart(5)}  ${mib(r.ldd.bytes).padStart(8)}  ${String(r.ldd.libs).padStart(8)}`);
}

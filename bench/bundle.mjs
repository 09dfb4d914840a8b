#!/usr/bin/env node
// Benchmark: `build-static bundle` on real Debian programs — wall time and bundle size, next to
// the sum of the executable's `ldd` closure (executable + every library ldd lists, real files).
// Prints figures; asserts nothing. Usage: node bench/bundle.mjs [--json]
import { lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { $ } from 'zx';

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

async function lddBytes(exe) {
  const out = (await $`ldd ${exe}`.quiet()).stdout;
  const paths = new Set([realpathSync(exe)]);
  for (const m of out.matchAll(/(?:=>\s+)?(\/\S+)\s+\(0x/g)) paths.add(realpathSync(m[1]));
  return { libs: paths.size - 1, bytes: [...paths].reduce((sum, p) => sum + statSync(p).size, 0) };
}

const rows = [];
for (const { name, exe, flags } of PROGRAMS) {
  const work = mkdtempSync(join(tmpdir(), 'bs-bench-bundle-'));
  const out = join(work, 'out');
  const started = process.hrtime.bigint();
  // zx throws a ProcessOutput naming the exit code and carrying stderr when the CLI fails.
  const result = JSON.parse((await $`${process.execPath} ${cli} bundle ${exe} ${out} ${flags} --json`.quiet()).stdout);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rows.push({ name, seconds, bundleBytes: treeBytes(out), files: result.files, symlinks: result.symlinks, ldd: await lddBytes(exe) });
  rmSync(work, { recursive: true, force: true });
}

const mib = (n) => (n / 1024 / 1024).toFixed(2);
if (values.json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log('build-static bench/bundle: bundle size and time vs the ldd closure (executable + libraries)');
  console.log('program              wall s   bundle MiB  files  links   ldd MiB  ldd libs');
  for (const r of rows)
    console.log(
      `${r.name.padEnd(19)}  ${r.seconds.toFixed(2).padStart(6)}   ${mib(r.bundleBytes).padStart(10)}  ${String(r.files).padStart(5)}  ${String(r.symlinks).padStart(5)}  ${mib(r.ldd.bytes).padStart(8)}  ${String(r.ldd.libs).padStart(8)}`,
    );
}

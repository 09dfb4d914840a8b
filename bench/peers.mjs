#!/usr/bin/env node
// Benchmark: build-static next to the tools users would pick instead, measured side by side in
// one run on this machine — `build` vs cargo-zigbuild (cold and after a source edit, three
// crates), `cook` vs cargo-chef, `dockerfile` (the image rebuild after an edit) vs cargo-chef's
// README Dockerfile, `push` vs skopeo copy, `bundle` vs magicpak. Each peer is
// installed by the bench (bench/peers/install.mjs). Medians of --runs alternated runs (order
// rotated every run); machine, versions and load before/after each section are recorded.
// Results are merged per section into bench/results/peers.json; docs/peers.svg is redrawn.
// Prints figures; asserts nothing. Slow: the build section is about an hour on 2 cores.
// Usage: node bench/peers.mjs [--runs 3] [--only build,cook,dockerfile,push,bundle] [--crates allowlist,fd-find,ripgrep] [--out FILE]
import { parseArgs } from 'node:util';
import { buildSection } from './peers/build-section.mjs';
import { bundleSection } from './peers/bundle.mjs';
import { cookSection } from './peers/cook.mjs';
import { dockerfileSection } from './peers/dockerfile.mjs';
import { pushSection } from './peers/push.mjs';
import { writeChart } from './peers/chart.mjs';
import { load, machine, previousSection, say, saveSection } from './peers/common.mjs';

const SECTIONS = { build: buildSection, cook: cookSection, dockerfile: dockerfileSection, push: pushSection, bundle: bundleSection };
const usage = `usage: node bench/peers.mjs [--runs N (default 3)] [--only ${Object.keys(SECTIONS).join(',')}] [--crates LIST] [--out FILE (default bench/results/peers.json; no chart)]`;

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '3' },
        only: { type: 'string' },
        crates: { type: 'string' },
        out: { type: 'string' },
        'no-warmup': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return fail(`${e.message.split('. ')[0]} (see --help)`);
  }
  if (values.help) return console.log(usage);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) return fail(`--runs must be a whole number >= 1, got ${values.runs}`);
  const only = values.only?.split(',') ?? Object.keys(SECTIONS);
  const unknown = only.filter((s) => !SECTIONS[s]);
  if (unknown.length) return fail(`unknown section ${unknown.join(', ')}: choose from ${Object.keys(SECTIONS).join(', ')}`);
  for (const name of only) {
    const started = { machine: machine(), loadBefore: load(), runs };
    say(`section ${name}: ${runs} alternated runs, load ${started.loadBefore.join(' ')}`);
    // Each section saves itself as it goes (`save(partial)`), so a stopped run keeps what it measured.
    const save = (record) => saveSection(name, { ...started, ...record, loadAfter: load() }, values.out);
    const record = await SECTIONS[name]({
      runs,
      crates: values.crates?.split(','),
      warmup: !values['no-warmup'],
      previous: previousSection(name, values.out),
      save,
    });
    const results = save(record);
    try {
      if (!values.out) say(`wrote ${writeChart(results)}`);
    } catch (e) {
      say(`chart not drawn (${e.message}); redraw with node bench/peers/chart.mjs`);
    }
  }
}

function fail(line) {
  console.error(`peers: ${line}`);
  process.exitCode = 2;
}

await main();

#!/usr/bin/env node
// Turns bench/allocator's results JSON into the committed chart (docs/allocator.svg) and, with
// --markdown, prints the README's tables. Deterministic: the same JSON gives the same bytes.
// Usage: node bench/allocator/chart.mjs [RESULTS] [--out docs/allocator.svg] [--markdown]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { markdownTables } from './report.mjs';
import { renderSvg } from './svg.mjs';

const repo = new URL('../..', import.meta.url).pathname;
const usage = 'usage: node bench/allocator/chart.mjs [RESULTS (default bench/results/allocator.json)] [--out SVG (default docs/allocator.svg)] [--markdown]';

function main() {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, markdown: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return fail(`${e.message.split(". ")[0]} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return console.log(usage);
  if (positionals.length > 1) return fail(`one results file at most, got ${positionals.length} (see --help)`);
  const input = positionals[0] ?? join(repo, 'bench/results/allocator.json');
  let result;
  try {
    result = JSON.parse(readFileSync(input, 'utf8'));
  } catch (e) {
    return fail(`cannot read ${input}: ${e.message.split('\n')[0]}`);
  }
  let svg;
  try {
    svg = renderSvg(result);
  } catch (e) {
    return fail(`${input} is not a bench/allocator results file: ${e.message}`);
  }
  const out = values.out ?? join(repo, 'docs/allocator.svg');
  writeFileSync(`${out}.tmp`, svg);
  renameSync(`${out}.tmp`, out);
  if (values.markdown) process.stdout.write(markdownTables(result));
  else console.log(`wrote ${out}`);
}

function fail(line) {
  console.error(`chart: ${line}`);
  process.exitCode = 2;
}

main();

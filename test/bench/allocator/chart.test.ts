// The hand-written SVG chart and chart.mjs's command line: bars proportional to the ratios,
// deterministic bytes, escaped labels, one-line errors, and the committed chart in sync with
// the committed results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type AllocatorResult, markdownTables, ratiosToGlibc } from '../../../bench/allocator/report.mjs';
import { renderSvg } from '../../../bench/allocator/svg.mjs';
import { REPO } from '../../helpers/cli.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'allocator-results.json');
const fixture = (): AllocatorResult => JSON.parse(readFileSync(FIXTURE, 'utf8')) as AllocatorResult;
const chart = (args: string[]) => spawnSync(process.execPath, [join(REPO, 'bench/allocator/chart.mjs'), ...args], { encoding: 'utf8' });

test('one bar per build and group, each as tall as its ratio to glibc', () => {
  const result = fixture();
  const svg = renderSvg(result);
  const bars = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="#\w+"><title>([^<]*)<\/title>/g)];
  expect(bars).toHaveLength(4 * 3); // 4 builds × (HTTP + workload at 2 and at 8 threads)
  const r = ratiosToGlibc(result.variants);
  const wanted = [...['glibc', 'musl', 'mimalloc-crate', 'mimalloc-link'].map((id) => r[id]!.requestsPerSecond), ...[2, 8].flatMap((t) => ['glibc', 'musl', 'mimalloc-crate', 'mimalloc-link'].map((id) => r[id]!.workload[t]!))];
  const glibcHeight = Number(bars[0]![2]);
  bars.forEach((bar, i) => expect(Number(bar[2]) / glibcHeight).toBeCloseTo(wanted[i]!, 2));
  expect(bars[1]![3]).toBe('musl malloc: 25,284 req/s (0.69×)');
  expect(bars[9]![3]).toBe('musl malloc: 48,003 ops/s (0.17×)');
  for (const v of result.variants) expect(svg).toContain(`>${v.label}</text>`);
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="760" height="440"/);
  expect(svg.endsWith('</svg>\n')).toBe(true);
});

test('the same results give the same bytes; labels are escaped', () => {
  expect(renderSvg(fixture())).toBe(renderSvg(fixture()));
  const result = fixture();
  result.variants[1]!.label = 'musl <malloc> & "friends"';
  const svg = renderSvg(result);
  expect(svg).toContain('>musl &lt;malloc&gt; &amp; &quot;friends&quot;</text>');
  expect(svg).not.toContain('<malloc>');
});

test('chart.mjs writes the SVG (and with --markdown prints the tables)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bs-chart-')), 'chart.svg');
  const r = chart([FIXTURE, '--out', out, '--markdown']);
  expect(r.status, r.stderr).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe(renderSvg(fixture()));
  expect(r.stdout).toBe(markdownTables(fixture()));
  expect(existsSync(`${out}.tmp`)).toBe(false);
});

test('bad input: one line, exit 2, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-chart-bad-'));
  const notResults = join(dir, 'other.json');
  writeFileSync(notResults, '{"variants": []}');
  for (const [args, message] of [
    [[join(dir, 'missing.json')], /^chart: cannot read .*missing\.json: ENOENT/],
    [[notResults], /^chart: .*other\.json is not a bench\/allocator results file: /],
    [['--colour'], /^chart: Unknown option '--colour' \(see --help\)$/],
  ] as const) {
    const r = chart([...args, '--out', join(dir, 'out.svg')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(existsSync(join(dir, 'out.svg'))).toBe(false);
  }
});

test('docs/allocator.svg is the chart of bench/results/allocator.json', () => {
  const results = JSON.parse(readFileSync(join(REPO, 'bench/results/allocator.json'), 'utf8')) as AllocatorResult;
  expect(readFileSync(join(REPO, 'docs/allocator.svg'), 'utf8')).toBe(renderSvg(results));
});

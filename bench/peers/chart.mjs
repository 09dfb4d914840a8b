#!/usr/bin/env node
// docs/peers.svg from bench/results/peers.json: one bar per measured figure, the ratio
// build-static / peer (below the dashed 1.00x line build-static is ahead), grouped by section.
// Deterministic: the same JSON gives the same bytes. Run alone to redraw (and, with --markdown,
// print the README table): node bench/peers/chart.mjs [RESULTS] [--markdown]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, resultsFile } from './common.mjs';
import { markdownTable } from './report.mjs';

const W = 820;
const H = 490;
const PLOT = { left: 60, right: 800, top: 104, bottom: 340 };
const COLORS = { build: '#1f77b4', cook: '#2ca02c', dockerfile: '#8c564b', push: '#9467bd', bundle: '#ff7f0e' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const px = (n) => String(Math.round(n * 10) / 10);

// Every ratio the results hold, as {section, label, peer, value}.
export function ratios(results) {
  const s = results.sections ?? {};
  const bars = [];
  for (const [id, c] of Object.entries(s.build?.crates ?? {})) {
    bars.push({ section: 'build', label: `${id} cold`, value: c.ratio.cold });
    bars.push({ section: 'build', label: `${id} edit`, value: c.ratio.edit });
  }
  if (s.cook) bars.push({ section: 'cook', label: 'cook total', value: s.cook.ratio.total });
  if (s.cook) bars.push({ section: 'cook', label: 'build after cook', value: s.cook.ratio.rebuild });
  if (s.dockerfile) bars.push({ section: 'dockerfile', label: 'image cold', value: s.dockerfile.ratio.cold });
  if (s.dockerfile) bars.push({ section: 'dockerfile', label: 'image edit', value: s.dockerfile.ratio.edit });
  if (s.push) bars.push({ section: 'push', label: 'push', value: s.push.ratio });
  for (const p of s.bundle?.programs ?? [])
    if (p.ratio?.size) {
      // A smaller bundle that does not run is no win for the peer: the label says so.
      const peerFails = p.tools?.magicpak && !p.tools.magicpak.runs;
      bars.push({ section: 'bundle', label: `${p.name} size${peerFails ? " (peer's fails)" : ''}`, value: p.ratio.size });
    }
  return bars;
}

const PEER = {
  build: 'cargo-zigbuild',
  cook: 'cargo-chef',
  dockerfile: "cargo-chef's Dockerfile",
  push: 'skopeo copy',
  bundle: 'magicpak',
};

export function renderSvg(results) {
  const bars = ratios(results);
  const top = Math.max(1.5, Math.ceil(Math.max(...bars.map((b) => b.value), 1) * 1.15 * 4) / 4);
  const y = (v) => PLOT.bottom - (v / top) * (PLOT.bottom - PLOT.top);
  const slot = (PLOT.right - PLOT.left) / Math.max(bars.length, 1);
  const m = Object.values(results.sections ?? {})[0]?.machine ?? {};
  const loads = Object.entries(results.sections ?? {})
    .map(([k, v]) => `${k} ${v.loadBefore?.[0]}→${v.loadAfter?.[0]}`)
    .join(', ');
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">build-static vs the tools users would pick instead: time or size ratio (lower is better)</text>`,
    `<text x="${W / 2}" y="46" text-anchor="middle" fill="#444">${esc(`ratio = build-static / peer, medians of alternated runs (counts in the JSON); below the dashed line build-static is ahead`)}</text>`,
    `<text x="${W / 2}" y="64" text-anchor="middle" fill="#444">${esc(`${m.nproc} cores, ${m.cpu}, ${m.rustc}`)}</text>`,
    `<text x="${W / 2}" y="82" text-anchor="middle" fill="#444">${esc(`load average (1 min) before→after: ${loads}`)}</text>`,
  ];
  for (let v = 0; v <= top + 1e-9; v += 0.25) {
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${px(y(v) + 4)}" text-anchor="end" fill="#444">${v.toFixed(2)}×</text>`);
  }
  bars.forEach((b, i) => {
    const x = PLOT.left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    out.push(
      `<rect x="${px(x)}" y="${px(y(b.value))}" width="${px(w)}" height="${px(PLOT.bottom - y(b.value))}" fill="${COLORS[b.section]}"/>`,
    );
    out.push(
      `<text x="${px(x + w / 2)}" y="${px(y(b.value) - 5)}" text-anchor="middle" font-size="11" font-weight="bold">${b.value.toFixed(2)}×</text>`,
    );
    out.push(
      `<text x="${px(x + w / 2)}" y="${PLOT.bottom + 14}" text-anchor="end" font-size="11" transform="rotate(-35 ${px(x + w / 2)} ${PLOT.bottom + 14})">${esc(b.label)}</text>`,
    );
  });
  out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(1))}" y2="${px(y(1))}" stroke="#333" stroke-dasharray="5 4"/>`);
  out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#333"/>`);
  const present = [...new Set(bars.map((b) => b.section))];
  // Each legend entry as wide as its text (about 7 px a character at 12 px), in centred rows.
  const legend = present.map((s) => ({ s, text: `${s} vs ${PEER[s]}`, width: 20 + `${s} vs ${PEER[s]}`.length * 7 + 18 }));
  const rows = [[]];
  for (const l of legend) {
    const row = rows[rows.length - 1];
    if (row.length > 0 && row.reduce((sum, e) => sum + e.width, 0) + l.width > W - 40) rows.push([l]);
    else row.push(l);
  }
  rows.forEach((row, r) => {
    let x = (W - row.reduce((sum, l) => sum + l.width, 0)) / 2;
    const top = H - 36 - (rows.length - 1 - r) * 22;
    for (const l of row) {
      out.push(`<rect x="${px(x)}" y="${top}" width="14" height="14" fill="${COLORS[l.s]}"/>`);
      out.push(`<text x="${px(x + 20)}" y="${top + 12}">${esc(l.text)}</text>`);
      x += l.width;
    }
  });
  out.push('</svg>', '');
  return out.join('\n');
}

// Writes docs/peers.svg (temp + rename) from the results object.
export function writeChart(results, out = join(repo, 'docs', 'peers.svg')) {
  writeFileSync(`${out}.tmp`, renderSvg(results));
  renameSync(`${out}.tmp`, out);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = JSON.parse(readFileSync(process.argv.find((a, i) => i > 1 && !a.startsWith('--')) ?? resultsFile, 'utf8'));
  console.error(`wrote ${writeChart(results)}`);
  if (process.argv.includes('--markdown')) process.stdout.write(markdownTable(results));
}

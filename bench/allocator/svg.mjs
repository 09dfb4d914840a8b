// The committed chart (docs/allocator.svg) as hand-written SVG: grouped bars of each build's
// throughput relative to glibc, one group for the HTTP service and one per workload thread
// count. Pure and deterministic: the same results JSON gives the same bytes.
import { medianOf, ratio, ratiosToGlibc, thousands } from './report.mjs';

const COLORS = ['#8c8c8c', '#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e'];
const W = 760;
const H = 440;
const PLOT = { left: 64, right: 736, top: 78, bottom: 340 };

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const px = (n) => String(Math.round(n * 10) / 10);

// A y-axis step giving 4–8 gridlines for ratios up to `top`.
function gridStep(top) {
  return [0.25, 0.5, 1, 2, 5, 10, 20].find((s) => top / s <= 8) ?? 50;
}

// The SVG text of the chart for one results JSON.
export function renderSvg(result) {
  const { variants, settings, machine } = result;
  const r = ratiosToGlibc(variants);
  const groups = [
    { label: 'HTTP req/s', value: (v) => r[v.id].requestsPerSecond, abs: (v) => `${thousands(v.server.requestsPerSecond)} req/s` },
    ...settings.workload.threads.map((t) => ({
      label: `workload ops/s, ${t} threads`,
      value: (v) => r[v.id].workload[t],
      abs: (v) => `${thousands(v.workload.find((w) => w.threads === t).opsPerSecond)} ops/s`,
    })),
  ];
  const highest = Math.max(1, ...groups.flatMap((g) => variants.map((v) => g.value(v))));
  const step = gridStep(highest * 1.12);
  const top = Math.ceil((highest * 1.12) / step) * step;
  const y = (value) => PLOT.bottom - (value / top) * (PLOT.bottom - PLOT.top);
  const groupWidth = (PLOT.right - PLOT.left) / groups.length;
  const barWidth = Math.min(44, (groupWidth * 0.8) / variants.length);

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">Static musl builds vs glibc: throughput relative to glibc (higher is better)</text>`,
    `<text x="${W / 2}" y="46" text-anchor="middle" fill="#444">${esc(`wrk -t${settings.wrk.threads} -c${settings.wrk.connections} -d${settings.wrk.durationSeconds}s on 127.0.0.1; workload ${thousands(settings.workload.ops)} JSON documents; ${medianOf(settings.rounds)}`)}</text>`,
    `<text x="${W / 2}" y="62" text-anchor="middle" fill="#444">${esc(`${machine.nproc} cores, ${machine.cpu}, load average at start ${machine.loadavgStart.map((x) => x.toFixed(2)).join(' ')}`)}</text>`,
  ];
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${px(y(v) + 4)}" text-anchor="end" fill="#444">${esc(ratio(v))}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = PLOT.left + gi * groupWidth + (groupWidth - barWidth * variants.length) / 2;
    variants.forEach((v, vi) => {
      const value = g.value(v);
      const x = x0 + vi * barWidth;
      out.push(`<rect x="${px(x + 2)}" y="${px(y(value))}" width="${px(barWidth - 4)}" height="${px(PLOT.bottom - y(value))}" fill="${COLORS[vi % COLORS.length]}"><title>${esc(`${v.label}: ${g.abs(v)} (${ratio(value)})`)}</title></rect>`);
      out.push(`<text x="${px(x + barWidth / 2)}" y="${px(y(value) - 5)}" text-anchor="middle" font-size="11">${esc(ratio(value))}</text>`);
    });
    out.push(`<text x="${px(PLOT.left + gi * groupWidth + groupWidth / 2)}" y="${PLOT.bottom + 20}" text-anchor="middle" font-weight="bold">${esc(g.label)}</text>`);
  });
  out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(1))}" y2="${px(y(1))}" stroke="#333" stroke-dasharray="5 4"/>`);
  out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#333"/>`);
  // Legend entries as wide as their labels (about 6.6 px a character at 12 px), centred.
  const widths = variants.map((v) => 20 + v.label.length * 6.6 + 24);
  let x = (W - widths.reduce((a, b) => a + b, 0)) / 2;
  variants.forEach((v, vi) => {
    out.push(`<rect x="${px(x)}" y="${H - 62}" width="14" height="14" fill="${COLORS[vi % COLORS.length]}"/>`);
    out.push(`<text x="${px(x + 20)}" y="${H - 50}">${esc(v.label)}</text>`);
    x += widths[vi];
  });
  out.push(`<text x="${W / 2}" y="${H - 18}" text-anchor="middle" fill="#666" font-size="11">dashed line: glibc = 1.00×. Source: bench/results/allocator.json (npm run bench:allocator)</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}

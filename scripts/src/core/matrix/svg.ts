// The matrix as an SVG chart a person reads at a glance: one group per build, one column per
// architecture, one bar per run base whose length is the compressed image size and whose colour
// says whether the program started (grey: not built here). A pure function of the data (no fonts
// or files read), so the committed chart is reproducible.
import type { MatrixCell } from './matrix.ts';

/** The comment that proves an SVG file is build-static's own chart (--svg replaces only those). */
export const MATRIX_SVG_MARKER = '<!-- build-static matrix chart -->';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const RUNS = '#2e7d32';
const FAILS = '#c62828';
const WRONG = '#f9a825';
const UNBUILT = '#9e9e9e';
const LEFT = 110;
const BAR_MAX = 230;
const COLUMN = LEFT + BAR_MAX + 250;
const ROW_H = 18;

const fillOf = (c: MatrixCell) => (c.notBuilt ? UNBUILT : c.predicted !== c.runs ? WRONG : c.runs ? RUNS : FAILS);
const noteOf = (c: MatrixCell) => (c.notBuilt ? `not built here: ${c.notBuilt}` : c.runs ? 'starts' : `fails: ${(c.reason ?? '').split(':')[0]}`);

// Renders the cells as an SVG document string.
export function matrixSvg(cells: readonly MatrixCell[], title: string): string {
  // One group per build across architectures; its title names each linkage the ELFs showed.
  const rowOf = (c: MatrixCell) => c.row ?? c.build;
  const builds = [...new Set(cells.map(rowOf))];
  const titleOf = (row: string) => [...new Set(cells.filter((c) => rowOf(c) === row).map((c) => c.build))].join('  |  ');
  const archs = [...new Set(cells.map((c) => c.arch))];
  const bases = [...new Set(cells.map((c) => c.base))];
  const max = Math.max(1, ...cells.map((c) => c.compressedBytes));
  const groupH = bases.length * ROW_H + 30;
  const width = 16 + archs.length * COLUMN;
  const height = 92 + builds.length * groupH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    MATRIX_SVG_MARKER,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<rect x="16" y="36" width="12" height="12" fill="${RUNS}"/><text x="32" y="46">starts</text>`,
    `<rect x="90" y="36" width="12" height="12" fill="${FAILS}"/><text x="106" y="46">fails (reason at right)</text>`,
    `<rect x="250" y="36" width="12" height="12" fill="${WRONG}"/><text x="266" y="46">inspect predicted otherwise</text>`,
    `<rect x="440" y="36" width="12" height="12" fill="${UNBUILT}"/><text x="456" y="46">not built here</text>`,
    `<text x="16" y="64" fill="#555">bar: compressed image size (one gzip layer: base + the program); label: compressed / uncompressed</text>`,
  ];
  archs.forEach((arch, a) => out.push(`<text x="${16 + a * COLUMN + LEFT}" y="84" font-size="14" font-weight="bold">linux/${esc(arch)}</text>`));
  builds.forEach((build, g) => {
    const y0 = 92 + g * groupH;
    out.push(`<text x="16" y="${y0 + 14}" font-weight="bold">${esc(titleOf(build))}</text>`);
    archs.forEach((arch, a) => {
      const x0 = 16 + a * COLUMN;
      bases.forEach((base, i) => {
        const c = cells.find((x) => rowOf(x) === build && x.arch === arch && x.base === base);
        if (!c) return;
        const y = y0 + 22 + i * ROW_H;
        const w = c.notBuilt ? 2 : Math.max(2, Math.round((c.compressedBytes / max) * BAR_MAX));
        const sizes = c.notBuilt ? '' : `${mb(c.compressedBytes)} / ${mb(c.uncompressedBytes)}  `;
        out.push(
          `<text x="${x0 + LEFT - 8}" y="${y + 11}" text-anchor="end">${esc(base)}</text>`,
          `<rect x="${x0 + LEFT}" y="${y}" width="${w}" height="${ROW_H - 4}" fill="${fillOf(c)}"/>`,
          `<text x="${x0 + LEFT + w + 6}" y="${y + 11}">${esc(`${sizes}${noteOf(c)}`.slice(0, 48))}</text>`,
        );
      });
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

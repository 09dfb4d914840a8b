// The matrix as an SVG chart a person reads at a glance: one row per build, one bar per run base
// whose length is the compressed image size and whose colour says whether the program started.
// A pure function of the data (no fonts or files read), so the committed chart is reproducible.
import type { MatrixCell } from './matrix.ts';

/** The comment that proves an SVG file is build-static's own chart (--svg replaces only those). */
export const MATRIX_SVG_MARKER = '<!-- build-static matrix chart -->';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const RUNS = '#2e7d32';
const FAILS = '#c62828';
const WRONG = '#f9a825';

// Renders the cells as an SVG document string, one group per build and architecture.
export function matrixSvg(cells: readonly MatrixCell[], title: string): string {
  const rowOf = (c: MatrixCell) => `${c.build} (${c.arch})`;
  const builds = [...new Set(cells.map(rowOf))];
  const bases = [...new Set(cells.map((c) => c.base))];
  const max = Math.max(1, ...cells.map((c) => c.compressedBytes));
  const left = 200;
  const barMax = 380;
  const rowH = 18;
  const groupH = bases.length * rowH + 26;
  const width = left + barMax + 430;
  const height = 70 + builds.length * groupH + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    MATRIX_SVG_MARKER,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<rect x="16" y="36" width="12" height="12" fill="${RUNS}"/><text x="32" y="46">starts</text>`,
    `<rect x="90" y="36" width="12" height="12" fill="${FAILS}"/><text x="106" y="46">fails (reason at right)</text>`,
    `<rect x="260" y="36" width="12" height="12" fill="${WRONG}"/><text x="276" y="46">inspect predicted otherwise</text>`,
    `<text x="${left}" y="62" fill="#555">bar: compressed image size (gzip layers); label: compressed / uncompressed</text>`,
  ];
  builds.forEach((build, g) => {
    const y0 = 76 + g * groupH;
    out.push(`<text x="16" y="${y0 + 12}" font-weight="bold">${esc(build)}</text>`);
    bases.forEach((base, i) => {
      const c = cells.find((x) => rowOf(x) === build && x.base === base);
      if (!c) return;
      const y = y0 + 18 + i * rowH;
      const w = Math.max(2, Math.round((c.compressedBytes / max) * barMax));
      const fill = c.predicted !== c.runs ? WRONG : c.runs ? RUNS : FAILS;
      const note = c.runs ? 'starts' : `fails: ${(c.reason ?? '').split(':')[0]}`;
      out.push(
        `<text x="${left - 8}" y="${y + 11}" text-anchor="end">${esc(base)}</text>`,
        `<rect x="${left}" y="${y}" width="${w}" height="${rowH - 4}" fill="${fill}"/>`,
        `<text x="${left + w + 6}" y="${y + 11}">${mb(c.compressedBytes)} / ${mb(c.uncompressedBytes)}  ${esc(note.slice(0, 60))}</text>`,
      );
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

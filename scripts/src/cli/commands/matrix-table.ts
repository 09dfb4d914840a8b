// The matrix as a terminal table: one line per cell (sizes in MB, runs, prediction, reason).
import type { MatrixCell } from '../../core/matrix/matrix.ts';

const mb = (n: number) => `${(n / 1e6).toFixed(1)}`;

// The table text; a mispredicted cell says WRONG, a build not made here says so in the reason.
export function matrixTable(cells: readonly MatrixCell[]): string {
  const rows = [['build', 'arch', 'base', 'MB gz', 'MB', 'runs', 'predicted', 'reason']];
  for (const c of cells)
    rows.push([
      c.build,
      c.arch,
      c.base,
      c.notBuilt ? '-' : mb(c.compressedBytes),
      c.notBuilt ? '-' : mb(c.uncompressedBytes),
      c.notBuilt ? '-' : c.runs ? 'yes' : 'no',
      c.notBuilt ? '-' : c.predicted === c.runs ? (c.predicted ? 'yes' : 'no') : `${c.predicted ? 'yes' : 'no'} (WRONG)`,
      c.reason ?? '',
    ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

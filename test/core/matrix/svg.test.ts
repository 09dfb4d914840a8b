// The chart is a pure function of the cells: bars scale with the compressed size, colour says
// starts / fails / mispredicted, text is escaped, and the same cells give the same bytes.
import { describe, expect, test } from 'vitest';
import type { MatrixCell } from '../../../scripts/src/core/matrix/matrix.ts';
import { matrixSvg } from '../../../scripts/src/core/matrix/svg.ts';

const cell = (over: Partial<MatrixCell>): MatrixCell => ({ build: 'static musl', arch: 'amd64', base: 'scratch', compressedBytes: 1e6, uncompressedBytes: 2e6, runs: true, predicted: true, exitCode: 0, ...over });
const cells = [
  cell({}),
  cell({ base: 'debian-slim', compressedBytes: 4e6 }),
  cell({ build: 'glibc <dyn>', base: 'scratch', runs: false, predicted: false, reason: 'no loader: chroot failed' }),
  cell({ build: 'glibc <dyn>', base: 'debian-slim', runs: false, predicted: true, reason: 'exit code 1' }),
];

describe('matrixSvg', () => {
  const svg = matrixSvg(cells, 'allowlist');
  test('one bar per cell, its width proportional to the compressed size', () => {
    const widths = [...svg.matchAll(/<rect x="200" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([95, 380, 95, 95]);
  });
  test('colours: green starts, red fails, amber where inspect predicted otherwise', () => {
    const fills = [...svg.matchAll(/<rect x="200" [^>]*fill="(#\w+)"/g)].map((m) => m[1]);
    expect(fills).toEqual(['#2e7d32', '#2e7d32', '#c62828', '#f9a825']);
  });
  test('labels are escaped and give both sizes and the reason', () => {
    expect(svg).toContain('glibc &lt;dyn&gt; (amd64)');
    expect(svg).toContain('1.0 MB / 2.0 MB  fails: no loader');
    expect(svg).not.toContain('<dyn>');
  });
  test('reproducible', () => {
    expect(matrixSvg(cells, 'allowlist')).toBe(svg);
  });
});

// The chart is a pure function of the cells: bars scale with the compressed size, colour says
// starts / fails / mispredicted / not built, one column per architecture, text is escaped, it
// carries the marker --svg uses to recognise its own file, and the same cells give the same bytes.
import { describe, expect, test } from 'vitest';
import type { MatrixCell } from '../../../scripts/src/core/matrix/matrix.ts';
import { MATRIX_SVG_MARKER, matrixSvg } from '../../../scripts/src/core/matrix/svg.ts';

const cell = (over: Partial<MatrixCell>): MatrixCell => ({ build: 'static musl', arch: 'amd64', base: 'scratch', compressedBytes: 1e6, uncompressedBytes: 2e6, runs: true, predicted: true, exitCode: 0, ...over });
const cells = [
  cell({}),
  cell({ base: 'debian-slim', compressedBytes: 4e6 }),
  cell({ build: 'glibc <dyn>', base: 'scratch', runs: false, predicted: false, reason: 'no loader: chroot failed' }),
  cell({ build: 'glibc <dyn>', base: 'debian-slim', runs: false, predicted: true, reason: 'exit code 1' }),
  cell({ arch: 'arm64', build: 'glibc <dyn>', base: 'scratch', runs: false, predicted: false, compressedBytes: 0, notBuilt: 'rustup target add failed' }),
];
const bars = (svg: string, x: number) => [...svg.matchAll(new RegExp(`<rect x="${x}" y="\\d+" width="(\\d+)" height="\\d+" fill="(#\\w+)"`, 'g'))].map((m) => [Number(m[1]), m[2]]);

describe('matrixSvg', () => {
  const svg = matrixSvg(cells, 'allowlist');
  test('amd64 column: one bar per cell, width proportional to the compressed size, colour by outcome', () => {
    expect(bars(svg, 126)).toEqual([
      [58, '#2e7d32'],
      [230, '#2e7d32'],
      [58, '#c62828'],
      [58, '#f9a825'],
    ]);
  });
  test('arm64 column: a build not made here is a grey stub that says why', () => {
    expect(bars(svg, 126 + 590)).toEqual([[2, '#9e9e9e']]);
    expect(svg).toContain('linux/arm64');
    expect(svg).toContain('not built here: rustup target add failed');
  });
  test('labels are escaped and give both sizes and the reason', () => {
    expect(svg).toContain('glibc &lt;dyn&gt;');
    expect(svg).toContain('1.0 MB / 2.0 MB  fails: no loader');
    expect(svg).not.toContain('<dyn>');
  });
  test('one group per build across architectures, titled by each linkage the ELFs showed', () => {
    const pie = [cell({ build: 'static-pie musl', row: '{kind} musl' }), cell({ build: 'static musl', row: '{kind} musl', arch: 'arm64' })];
    const two = matrixSvg(pie, 'x');
    expect(two).toContain('>static-pie musl  |  static musl</text>');
    expect(bars(two, 126)).toHaveLength(1);
    expect(bars(two, 126 + 590)).toHaveLength(1);
    expect(two.match(/font-weight="bold">static/g)).toHaveLength(1);
  });
  test('marked as build-static output, and reproducible', () => {
    expect(svg.split('\n')[1]).toBe(MATRIX_SVG_MARKER);
    expect(matrixSvg(cells, 'allowlist')).toBe(svg);
  });
});

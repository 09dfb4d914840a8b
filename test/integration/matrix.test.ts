// The matrix of examples/allowlist for real, the way a user runs it: `build-static matrix
// examples/allowlist --probe server` builds all five variants for both architectures (three
// through build-static, dynamic glibc and dynamic musl with cargo), places each on the six local
// run bases and starts every cell in a chroot (arm64 under qemu). Asserts which cells start, why
// the others fail, that inspect predicted every one, and that the --svg chart holds every cell.
// Needs root for chroot, like the bundle proofs: fails loudly without. The variants' target dirs
// live in ~/.cache/build-static-test/matrix (CARGO_TARGET_DIR), so CI reruns are warm.
import { mkdtemp, readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { MatrixCell } from '../../scripts/src/core/matrix/matrix.ts';
import { RUN_BASES } from '../../scripts/src/core/matrix/bases.ts';
import { MATRIX_SVG_MARKER } from '../../scripts/src/core/matrix/svg.ts';
import { REPO, runCli, type CliResult } from '../helpers/cli.ts';

if (process.getuid?.() !== 0) throw new Error('the matrix runs each cell in a chroot, which needs root: run the tests as root, as CI does');

const ARCHS = ['amd64', 'arm64'] as const;
const BASES = RUN_BASES.map((b) => b.name);
const GLIBC_BASES = ['distroless-cc', 'debian-slim'];
const TARGET = process.env.BUILD_STATIC_TEST_CACHE ? join(process.env.BUILD_STATIC_TEST_CACHE, 'matrix') : join(homedir(), '.cache/build-static-test/matrix');
let run: CliResult;
let cells: MatrixCell[] = [];
let svg = '';

beforeAll(async () => {
  const svgPath = join(await mkdtemp(join(tmpdir(), 'bs-matrix-')), 'matrix.svg');
  // allowlist's own mimalloc feature is off: build-static links mimalloc in (or leaves musl's
  // malloc with the `system` variant), and the glibc builds keep glibc's malloc.
  run = await runCli(['matrix', join(REPO, 'examples/allowlist'), '--no-default-features', '--probe', 'server', '--json', '--svg', svgPath], {
    env: { ...process.env, CARGO_TARGET_DIR: TARGET },
  });
  if (run.code !== 0 && run.code !== 4) throw new Error(`build-static matrix failed (${run.code}):\n${run.stderr.slice(-4000)}`);
  cells = JSON.parse(run.stdout) as MatrixCell[];
  svg = await readFile(svgPath, 'utf8');
}, 5_400_000);

const cell = (build: RegExp, base: string, arch: string) => {
  const found = cells.filter((c) => build.test(c.build) && c.base === base && c.arch === arch);
  if (found.length !== 1) throw new Error(`${found.length} cells match ${build} on ${base} (${arch}); rows: ${[...new Set(cells.map((c) => c.build))].join(' | ')}`);
  return found[0]!;
};

describe('the allowlist matrix, built by `matrix DIR`', () => {
  test('every variant was built for both architectures: 5 builds × 6 bases × 2 architectures', () => {
    expect(cells.filter((c) => c.notBuilt).map((c) => `${c.build}/${c.arch}: ${c.notBuilt}`)).toEqual([]);
    expect(cells).toHaveLength(5 * BASES.length * ARCHS.length);
  });

  test('rows are named by what the ELF says: default amd64 is static-pie, relocation-model=static is plain static', () => {
    const rows = new Set(cells.map((c) => c.build));
    expect(rows).toContain('static-pie musl + mimalloc');
    expect(rows).toContain('static musl + mimalloc, relocation-model=static');
    expect(rows).toContain('dynamic glibc');
    expect(rows).toContain('dynamic musl, -crt-static (links libgcc_s)');
  });

  test.each(ARCHS)('%s: the three static builds start on every base, scratch included', (arch) => {
    for (const build of [/musl \+ mimalloc$/, /mimalloc, relocation-model=static/, /musl, musl malloc/])
      for (const base of BASES) expect(cell(build, base, arch), `${build} on ${base}`).toMatchObject({ runs: true });
  });

  test.each(ARCHS)('%s: dynamic glibc starts on the glibc bases only; elsewhere the loader is missing', (arch) => {
    for (const base of BASES) {
      if (GLIBC_BASES.includes(base)) expect(cell(/^dynamic glibc/, base, arch), base).toMatchObject({ runs: true });
      else expect(cell(/^dynamic glibc/, base, arch), base).toMatchObject({ runs: false, failure: 'missing-loader' });
    }
  });

  test.each(ARCHS)('%s: dynamic musl needs musl + libgcc_s: plain musl lacks libgcc_s, the rest lack the musl loader', (arch) => {
    expect(cell(/^dynamic musl/, 'musl+libgcc', arch)).toMatchObject({ runs: true });
    expect(cell(/^dynamic musl/, 'musl', arch)).toMatchObject({ runs: false, failure: 'missing-libgcc_s' });
    for (const base of ['scratch', 'static', ...GLIBC_BASES]) expect(cell(/^dynamic musl/, base, arch), base).toMatchObject({ runs: false, failure: 'missing-loader' });
  });

  test('inspect predicted every cell, and matrix exits 0 because of it', () => {
    expect(cells.filter((c) => c.predicted !== c.runs).map((c) => `${c.build}/${c.base}/${c.arch}: ${c.reason ?? 'runs'}`)).toEqual([]);
    expect(run.code).toBe(0);
  });

  test.each(ARCHS)('%s: the base adds what it holds: scratch is the smallest image, debian-slim the largest', (arch) => {
    const sizes = BASES.map((b) => cell(/^dynamic glibc/, b, arch).compressedBytes);
    expect(Math.min(...sizes)).toBe(sizes[0]);
    expect(Math.max(...sizes)).toBe(sizes[sizes.length - 1]);
    for (const c of cells) expect(c.uncompressedBytes, `${c.build}/${c.base}/${c.arch}`).toBeGreaterThan(c.compressedBytes);
  });

  test('the chart is build-static\'s own and draws one bar per cell, in both architecture columns', () => {
    expect(svg).toContain(MATRIX_SVG_MARKER);
    expect(svg.match(/<rect x="\d+" y="\d+" width="\d+" height="14"/g)).toHaveLength(cells.length);
    for (const arch of ARCHS) expect(svg).toContain(`linux/${arch}`);
  });
});

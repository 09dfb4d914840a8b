// The matrix of examples/allowlist for real: amd64 builds (static-pie musl + mimalloc, musl's
// malloc, dynamic glibc) on all five local bases and the arm64 default build on two
// (under qemu), each started in a chroot; asserts which cells start, why the others fail, and that
// inspect predicted every cell. Needs root for chroot, like the bundle proofs: fails loudly without.
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runMatrix, SERVER_PROBE, type MatrixCell } from '../../scripts/src/core/matrix/matrix.ts';
import { RUN_BASES } from '../../scripts/src/core/matrix/bases.ts';
import { ensureLibgccShim } from '../../scripts/src/core/matrix/libgcc-shim.ts';
import { REPO, runCli } from '../helpers/cli.ts';

if (process.getuid?.() !== 0) throw new Error('the matrix runs each cell in a chroot, which needs root: run the tests as root, as CI does');

const project = join(REPO, 'examples/allowlist');
const cargo = (args: string[], env: Record<string, string> = {}) => execFileSync('cargo', ['build', '--release', '--quiet', '--manifest-path', join(project, 'Cargo.toml'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
let cells: MatrixCell[] = [];

async function buildStatic(out: string, extra: string[]): Promise<void> {
  const r = await runCli(['build', project, '--platform', 'linux/amd64,linux/arm64', '--out', out, ...extra]);
  if (r.code !== 0) throw new Error(`build-static build ${extra.join(' ')} failed (${r.code}):\n${r.stderr.slice(-4000)}`);
}

beforeAll(async () => {
  const work = await mkdtemp(join(tmpdir(), 'bs-matrix-'));
  await buildStatic(join(work, 'mimalloc'), []);
  await buildStatic(join(work, 'system'), ['--no-default-features', '--allocator', 'system']);
  const glibcTarget = join(project, 'target/matrix-glibc');
  cargo(['--target-dir', glibcTarget]);
  // A dynamic musl build is not in this test: its link needs a musl libgcc_s.so.1, which Debian
  // does not ship (`cannot find libgcc_s.so.1` with musl-gcc); the matrix command takes one via --exe.
  const amd64 = [
    { name: 'static-pie musl + mimalloc', path: join(work, 'mimalloc/linux-amd64/allowlist') },
    { name: 'static-pie musl, musl malloc', path: join(work, 'system/linux-amd64/allowlist') },
    { name: 'dynamic glibc', path: join(glibcTarget, 'release/allowlist') },
  ];
  // The musl+libgcc base carries the libgcc_s.so.1 stand-in, as `matrix` gives it.
  const libgcc = (arch: 'amd64' | 'arm64') => ensureLibgccShim(arch);
  cells = await runMatrix({ builds: amd64, probe: SERVER_PROBE, libgcc });
  const arm64Bases = RUN_BASES.filter((b) => b.name === 'scratch' || b.name === 'musl');
  cells.push(...(await runMatrix({ builds: [{ name: 'static musl + mimalloc', path: join(work, 'mimalloc/linux-arm64/allowlist') }], bases: arm64Bases, probe: SERVER_PROBE, libgcc })));
}, 3_600_000);

const cell = (build: string, base: string, arch = 'amd64') => cells.find((c) => c.build === build && c.base === base && c.arch === arch)!;

describe('the allowlist matrix', () => {
  test.each(['static-pie musl + mimalloc', 'static-pie musl, musl malloc'])('%s starts on every base', (build) => {
    for (const b of RUN_BASES) expect(cell(build, b.name), b.name).toMatchObject({ runs: true });
  });
  test('dynamic glibc starts on distroless-cc and debian-slim only; elsewhere the loader is missing', () => {
    for (const b of ['distroless-cc', 'debian-slim']) expect(cell('dynamic glibc', b)).toMatchObject({ runs: true });
    for (const b of ['scratch', 'static', 'musl']) expect(cell('dynamic glibc', b)).toMatchObject({ runs: false, failure: 'missing-loader' });
  });
  test('arm64 under qemu: the static build starts on scratch and musl', () => {
    for (const b of ['scratch', 'musl']) expect(cell('static musl + mimalloc', b, 'arm64')).toMatchObject({ runs: true });
  });
  test('inspect predicted every cell', () => {
    expect(cells).toHaveLength(3 * RUN_BASES.length + 2);
    expect(cells.filter((c) => c.predicted !== c.runs).map((c) => `${c.build}/${c.base}/${c.arch}: ${c.reason ?? 'runs'}`)).toEqual([]);
  });
  test('the base adds what it holds: scratch is the smallest image, debian-slim the largest', () => {
    const sizes = RUN_BASES.map((b) => cell('dynamic glibc', b.name).compressedBytes);
    expect(Math.min(...sizes)).toBe(sizes[0]);
    expect(Math.max(...sizes)).toBe(sizes[sizes.length - 1]);
  });
});

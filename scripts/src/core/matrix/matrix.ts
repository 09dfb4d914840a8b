// The build × run matrix: every given build of a program placed on every run base; per cell the
// image size (a single gzip layer of base + /app, as the oci code writes it), whether it really
// starts, what inspect predicted, and why it failed. Returns data; the CLI prints it.
import { readFile } from 'node:fs/promises';
import { gzip, writeTar, type TarEntry } from '../../oci/index.ts';
import { BuildStaticError } from '../../errors.ts';
import { inspectFile } from '../inspect/inspect.ts';
import { baseEntries, RUN_BASES, type BaseName, type MatrixArch, type RunBase } from './bases.ts';
import { classifyFailure, started, type FailureKind } from './classify.ts';
import { runInRoot, type Probe } from './run-cell.ts';

export interface MatrixBuild {
  /** The build's name on the build axis; `{kind}` becomes the ELF's linkage (static, static-pie, dynamic). */
  readonly name: string;
  /** The executable this build produced (its architecture is read from the ELF). */
  readonly path?: string;
  /** The architecture it was meant for (required with notBuilt). */
  readonly arch?: MatrixArch;
  /** Why this build could not be made here: its cells say so instead of running. */
  readonly notBuilt?: string;
}

export interface MatrixCell {
  /** The build's name with its linkage read from the ELF (static-pie on amd64, static on arm64). */
  readonly build: string;
  /** The build's name as given, before `{kind}` is filled in: one row per build across architectures. */
  readonly row?: string;
  readonly arch: MatrixArch;
  readonly base: BaseName;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly runs: boolean;
  readonly predicted: boolean;
  readonly exitCode: number | undefined;
  readonly failure?: FailureKind;
  readonly reason?: string;
  /** Set when the build could not be made here (then runs and predicted are false). */
  readonly notBuilt?: string;
}

export interface MatrixOptions {
  readonly builds: readonly MatrixBuild[];
  readonly probe: Probe;
  readonly bases?: readonly RunBase[];
  readonly epoch?: number;
  readonly signal?: AbortSignal;
  readonly onCell?: (cell: MatrixCell) => void;
  /** The libgcc_s.so.1 stand-in for an architecture (bases with `libgcc` need it). */
  readonly libgcc?: (arch: MatrixArch) => Promise<string>;
}

const ARCH_OF: Record<string, MatrixArch> = { x86_64: 'amd64', aarch64: 'arm64' };

// The server probe for a program that listens on $PORT and prints "listening on" (allowlist).
export const SERVER_PROBE: Probe = { args: [], env: { PORT: '0', BIND_ADDRESS: '127.0.0.1' }, ready: /listening on/, seconds: 3 };
export const VERSION_PROBE: Probe = { args: ['--version'], env: {}, seconds: 20 };

// Sizes of the image's one layer: the uncompressed tar and its gzip.
export async function layerSizes(entries: readonly TarEntry[], epoch: number): Promise<{ compressed: number; uncompressed: number }> {
  const tar = writeTar(entries, { epoch });
  return { uncompressed: tar.byteLength, compressed: (await gzip(tar)).byteLength };
}

// The cells of a build that could not be made here: each says why instead of a run.
function notBuiltCell(build: MatrixBuild, base: RunBase): MatrixCell {
  const reason = `not built here: ${build.notBuilt ?? 'no executable'}`;
  const cell = { build: build.name.replace('{kind}', 'static'), row: build.name, arch: build.arch ?? 'amd64', base: base.name, compressedBytes: 0, uncompressedBytes: 0 };
  return { ...cell, runs: false, predicted: false, exitCode: undefined, reason, notBuilt: build.notBuilt ?? 'no executable' };
}

// Runs every cell, builds in order then bases in order.
export async function runMatrix(options: MatrixOptions): Promise<MatrixCell[]> {
  const cells: MatrixCell[] = [];
  const epoch = options.epoch ?? 0;
  const cache = new Map<string, TarEntry[]>();
  for (const build of options.builds) {
    if (!build.path) {
      for (const base of options.bases ?? RUN_BASES) {
        const cell = notBuiltCell(build, base);
        options.onCell?.(cell);
        cells.push(cell);
      }
      continue;
    }
    const app: TarEntry = { type: 'file', path: '/app', data: new Uint8Array(await readFile(build.path)), mode: 0o755 };
    const report = await inspectFile(build.path);
    const arch = ARCH_OF[report.machine];
    if (!arch) throw new BuildStaticError('USAGE', `${build.path} is a ${report.machine} executable; matrix runs x86_64 and aarch64 (--exe NAME=FILE)`);
    const name = build.name.replace('{kind}', report.linkage);
    const verdicts = report.verdicts;
    for (const base of options.bases ?? RUN_BASES) {
      const key = `${base.name}/${arch}`;
      if (!cache.has(key)) cache.set(key, await baseEntries(base, arch, base.libgcc && options.libgcc ? await options.libgcc(arch) : undefined));
      const entries = [...cache.get(key)!, app];
      const sizes = await layerSizes(entries, epoch);
      const outcome = await runInRoot(entries, arch, options.probe, options.signal);
      const runs = started(outcome, options.probe.ready);
      const failure = runs ? undefined : classifyFailure(outcome);
      const cell: MatrixCell = {
        build: name,
        row: build.name,
        arch,
        base: base.name,
        compressedBytes: sizes.compressed,
        uncompressedBytes: sizes.uncompressed,
        runs,
        predicted: verdicts.find((v) => v.image === base.predictedBy)?.ok ?? false,
        exitCode: outcome.exitCode,
        ...(failure ? { failure: failure.kind, reason: failure.reason } : {}),
      };
      options.onCell?.(cell);
      cells.push(cell);
    }
  }
  return cells;
}

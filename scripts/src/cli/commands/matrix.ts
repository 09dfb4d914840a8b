// `build-static matrix --exe NAME=FILE…`: places each given build on every local run base, runs
// it in a chroot, and prints a table (or --json) of sizes, runs/fails, inspect's prediction and
// the failure reason; --svg writes the chart. Exit 4 when a prediction disagrees with a run.
import { basename } from 'node:path';
import { RUN_BASES, type BaseName } from '../../core/matrix/bases.ts';
import { runMatrix, SERVER_PROBE, VERSION_PROBE, type MatrixCell } from '../../core/matrix/matrix.ts';
import { matrixSvg } from '../../core/matrix/svg.ts';
import { writeFileAtomic } from '../../core/fs.ts';
import { BuildStaticError } from '../../errors.ts';
import { listFlag, repeatedFlag, stringFlag } from '../args.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../report.ts';

const HELP = `Usage: build-static matrix --exe NAME=FILE… [--base LIST] [--probe version|server] [--svg FILE] [--json]

The build × run matrix: each executable (one per build: static musl + mimalloc, musl's malloc,
dynamic glibc, dynamic musl, …) is placed on every run base made from this machine's Debian
packages — scratch, static (chainguard/static stand-in: CA certificates, /etc/passwd), musl
(Alpine-like loader + libc), distroless-cc (glibc + libgcc_s), debian-slim (glibc, libgcc_s,
libstdc++) — and run in a chroot (arm64 under qemu-aarch64-static; needs root). Per cell: image
size (one gzip layer, compressed / uncompressed), starts or fails and why, and inspect's
prediction. Exit 4 if any prediction disagrees with the real run.

Options:
  --exe NAME=FILE  a build to place (repeat); the architecture is read from the ELF
  --base LIST      run bases, comma-separated (default: ${RUN_BASES.map((b) => b.name).join(',')})
  --probe P        version: \`/app --version\` must exit 0 (default); server: \`/app\` with PORT=0
                   must print "listening on" within 3 s (examples/allowlist)
  --svg FILE       write the chart (bars: compressed size; colour: starts / fails / mispredicted)
  --json           one JSON array of cells on stdout
  -h, --help       show this help`;

const mb = (n: number) => `${(n / 1e6).toFixed(1)}`;

// The terminal table: one line per cell.
export function matrixTable(cells: readonly MatrixCell[]): string {
  const rows = [['build', 'arch', 'base', 'MB gz', 'MB', 'runs', 'predicted', 'reason']];
  for (const c of cells)
    rows.push([
      c.build,
      c.arch,
      c.base,
      mb(c.compressedBytes),
      mb(c.uncompressedBytes),
      c.runs ? 'yes' : 'no',
      c.predicted === c.runs ? (c.predicted ? 'yes' : 'no') : `${c.predicted ? 'yes' : 'no'} (WRONG)`,
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

// One runMatrix() call; the table or JSON on stdout, each misprediction on stderr (exit 4).
export const matrixCommand = defineCommand('matrix', HELP, {
  options: {
    exe: { type: 'string', multiple: true },
    base: { type: 'string', multiple: true },
    probe: { type: 'string' },
    svg: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async ({ values, positionals }, ctx) => {
    if (positionals.length)
      throw new BuildStaticError(
        'USAGE',
        `matrix takes no positional arguments (got ${positionals[0]}): pass each build as --exe NAME=FILE`,
      );
    const builds = repeatedFlag(values.exe).map((spec) => {
      const eq = spec.indexOf('=');
      if (eq <= 0 || eq === spec.length - 1)
        throw new BuildStaticError(
          'USAGE',
          `--exe ${spec}: expected NAME=FILE, e.g. --exe "static musl=target/x86_64-unknown-linux-musl/release/app"`,
        );
      return { name: spec.slice(0, eq), path: spec.slice(eq + 1) };
    });
    if (builds.length === 0)
      throw new BuildStaticError('USAGE', 'matrix needs at least one --exe NAME=FILE (see build-static matrix --help)');
    const baseNames = listFlag(values.base);
    const bases = baseNames ? baseNames.map((n) => RUN_BASES.find((b) => b.name === n) ?? badBase(n)) : RUN_BASES;
    const probeName = stringFlag(values.probe) ?? 'version';
    if (probeName !== 'version' && probeName !== 'server')
      throw new BuildStaticError('USAGE', `--probe ${probeName}: expected version or server`);
    const cells = await runMatrix({
      builds,
      bases,
      probe: probeName === 'server' ? SERVER_PROBE : VERSION_PROBE,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const svg = stringFlag(values.svg);
    if (svg)
      await writeFileAtomic(svg, matrixSvg(cells, `build × run matrix: ${[...new Set(builds.map((b) => basename(b.path)))].join(', ')}`));
    ctx.stdout(ctx.json ? JSON.stringify(cells) : matrixTable(cells));
    const wrong = cells.filter((c) => c.predicted !== c.runs);
    for (const c of wrong)
      ctx.stderr(
        `build-static: inspect predicted ${c.predicted ? 'runs' : 'fails'} for ${c.build} on ${c.base} (${c.arch}), the real run ${c.runs ? 'started' : `failed: ${c.reason}`}`,
      );
    return wrong.length ? EXIT.VERIFY : EXIT.OK;
  },
});

function badBase(name: string): never {
  throw new BuildStaticError('USAGE', `--base ${name as BaseName}: unknown run base; bases: ${RUN_BASES.map((b) => b.name).join(', ')}`);
}

// `build-static matrix [DIR]` / `matrix --exe NAME=FILE…`: builds the project in every variant (or
// takes given executables), places each on every local run base, runs it in a chroot, and prints
// a table (or --json) of sizes, runs/fails, inspect's prediction and the failure reason; --svg
// writes the chart. Exit 4 when a prediction disagrees with a run.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RUN_BASES, type BaseName, type MatrixArch } from '../../core/matrix/bases.ts';
import { buildVariants } from '../../core/matrix/build-variants.ts';
import { ensureLibgccShim } from '../../core/matrix/libgcc-shim.ts';
import { runMatrix, SERVER_PROBE, VERSION_PROBE, type MatrixBuild } from '../../core/matrix/matrix.ts';
import { MATRIX_SVG_MARKER, matrixSvg } from '../../core/matrix/svg.ts';
import { BUILD_VARIANTS } from '../../core/matrix/variants.ts';
import { escapeStep } from '../../core/exec/escape.ts';
import { writeFileAtomic } from '../../core/fs.ts';
import { claimOutput } from '../../core/output-guard.ts';
import { parsePlatforms } from '../../core/platform.ts';
import { BuildStaticError } from '../../errors.ts';
import { listFlag, repeatedFlag, stringFlag } from '../args.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../report.ts';
import { matrixTable } from './matrix-table.ts';

const HELP = `Usage: build-static matrix [DIR] [--platform LIST] [--build LIST] [--base LIST] [--probe version|server] [--svg FILE] [--json]
       build-static matrix --exe NAME=FILE… [--base LIST] [--probe …] [--svg FILE] [--json]

The build × run matrix. With DIR (default .) it builds the project's binary for each --platform in
each way: static musl + mimalloc (build-static's default; amd64 comes out static-pie), the same
with -C relocation-model=static (plain static), static musl with musl's malloc, dynamic glibc
(plain cargo), and dynamic musl (-crt-static, linked against a local libgcc_s.so.1 stand-in).
Target dirs live under target/build-static/matrix/, so reruns are warm. Each build is placed on
every run base made from this machine's Debian packages — scratch, static (chainguard/static
stand-in: CA certificates, /etc/passwd), musl (Alpine-like loader + libc), musl+libgcc (Alpine
with libgcc), distroless-cc (glibc + libgcc_s), debian-slim (glibc, libgcc_s, libstdc++) — and
run in a chroot (arm64 under qemu-aarch64-static; needs root). Per cell: image size (one gzip
layer, compressed / uncompressed), starts or fails and why, and inspect's prediction. Rows are
named by what the ELF says. Exit 4 if any prediction disagrees with the real run.

Options:
  --platform LIST        linux/amd64,linux/arm64 (default both)
  --build LIST           variants, comma-separated (default: ${BUILD_VARIANTS.map((v) => v.id).join(',')})
  --bin NAME, --features LIST, --no-default-features
                         passed to every build (allowlist sets mimalloc itself: --no-default-features)
  --exe NAME=FILE        place this executable instead of building (repeat); arch read from the ELF
  --base LIST            run bases (default: ${RUN_BASES.map((b) => b.name).join(',')})
  --probe P              version: \`/app --version\` must exit 0 (default); server: \`/app\` with
                         PORT=0 must print "listening on" within 3 s (examples/allowlist)
  --svg FILE             write the chart (bars: compressed size; colour: starts / fails / mispredicted);
                         replaces only a chart build-static wrote, unless --force
  --dry-run              print every build command (cargo, build-static's plan), build and run nothing
  --json                 one JSON array of cells on stdout
  -h, --help             show this help`;

// The entries a list flag names, in its order; an unknown name is one USAGE line listing the known.
function pick<T>(flag: string, noun: string, list: readonly T[], names: string[] | undefined, key: (t: T) => string): readonly T[] {
  if (!names) return list;
  return names.map((n) => list.find((t) => key(t) === n) ?? usage(`${flag} ${n}: unknown ${noun}; ${noun}s: ${list.map(key).join(', ')}`));
}

function usage(message: string): never {
  throw new BuildStaticError('USAGE', message);
}

function exeBuilds(specs: string[]): MatrixBuild[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1)
      usage(`--exe ${spec}: expected NAME=FILE, e.g. --exe "static musl=target/x86_64-unknown-linux-musl/release/app"`);
    return { name: spec.slice(0, eq), path: spec.slice(eq + 1) };
  });
}

// Builds (or takes) the executables, runs the matrix, prints it; each misprediction on stderr (exit 4).
export const matrixCommand = defineCommand('matrix', HELP, {
  onePositional: 'one project directory',
  options: {
    exe: { type: 'string', multiple: true },
    platform: { type: 'string', multiple: true },
    build: { type: 'string', multiple: true },
    base: { type: 'string', multiple: true },
    bin: { type: 'string' },
    features: { type: 'string', multiple: true },
    'no-default-features': { type: 'boolean' },
    probe: { type: 'string' },
    svg: { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  run: async ({ values, positionals, dir }, ctx) => {
    const exes = repeatedFlag(values.exe);
    if (exes.length && positionals.length)
      usage(`matrix takes either DIR (build the variants) or --exe NAME=FILE (given builds), not both (got ${positionals[0]})`);
    const bases = pick('--base', 'run base', RUN_BASES, listFlag(values.base), (b) => b.name as BaseName);
    const variants = pick('--build', 'build', BUILD_VARIANTS, listFlag(values.build), (v) => v.id);
    const archs = parsePlatforms(listFlag(values.platform) ?? ['linux/amd64', 'linux/arm64']).map((p) => p.arch as MatrixArch);
    const probeName = stringFlag(values.probe) ?? 'version';
    if (probeName !== 'version' && probeName !== 'server') usage(`--probe ${probeName}: expected version or server`);
    const svgFlag = typeof values.svg === 'string' ? values.svg : undefined;
    // Claimed before anything builds, so a refused --svg costs nothing and leaves no partial output.
    const svg =
      svgFlag !== undefined
        ? await claimOutput({
            path: svgFlag,
            flag: '--svg',
            kind: 'file',
            force: values.force === true,
            isOwn: async (abs) => (await readFile(abs, 'utf8')).includes(MATRIX_SVG_MARKER),
            ownMarker: 'no build-static matrix marker comment in it',
          })
        : undefined;
    const features = listFlag(values.features);
    const built = exes.length
      ? { builds: exeBuilds(exes), steps: [] }
      : await buildVariants({
          dir,
          archs,
          variants,
          ...(stringFlag(values.bin) ? { bin: stringFlag(values.bin)! } : {}),
          ...(features ? { features } : {}),
          noDefaultFeatures: values['no-default-features'] === true,
          dryRun: values['dry-run'] === true,
          onLine: (line) => ctx.stderr(line),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
    if (values['dry-run'] === true) {
      ctx.stdout(
        ctx.json
          ? JSON.stringify(built.steps)
          : built.steps
              .map((s) => `# ${s.variant} (${s.archs.join(', ')})\n${s.step.cwd ? `cd ${s.step.cwd} && ` : ''}${escapeStep(s.step)}`)
              .join('\n\n'),
      );
      return EXIT.OK;
    }
    const cells = await runMatrix({
      builds: built.builds,
      bases,
      probe: probeName === 'server' ? SERVER_PROBE : VERSION_PROBE,
      libgcc: (arch) => ensureLibgccShim(arch, ctx.signal),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const named = [...new Set(built.builds.filter((b) => b.path).map((b) => basename(b.path!)))];
    if (svg) await writeFileAtomic(svg, matrixSvg(cells, `build × run matrix: ${named.join(', ')}`));
    ctx.stdout(ctx.json ? JSON.stringify(cells) : matrixTable(cells));
    const wrong = cells.filter((c) => !c.notBuilt && c.predicted !== c.runs);
    for (const c of wrong)
      ctx.stderr(
        `build-static: inspect predicted ${c.predicted ? 'runs' : 'fails'} for ${c.build} on ${c.base} (${c.arch}), the real run ${c.runs ? 'started' : `failed: ${c.reason}`}`,
      );
    return wrong.length ? EXIT.VERIFY : EXIT.OK;
  },
});

// `build-static inspect FILE…`: parse flags, call inspect(), print a report per file or JSON;
// the exit code says whether --require is met.
import { inspect, type InspectReport } from '../../core/inspect/inspect.ts';
import { stringFlag } from '../args.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../report.ts';

const HELP = `Usage: build-static inspect FILE… [--require static|alpine|glibc>=2.x] [--json]

Reads each executable's ELF (no ldd, no file) and reports: class, machine, static or dynamic,
interpreter, NEEDED, RPATH/RUNPATH, stripped, build-id, allocator (mimalloc, jemalloc, glibc,
musl's), threading, the crates embedded in a .dep-v0 section (cargo-auditable or
build --auditable), the glibc floor (highest GLIBC_ version needed) and glibc-only symbols that
musl lacks (the "Error relocating: mallopt: symbol not found" class). Then a verdict per run
image: scratch / chainguard-static, alpine, alpine with libc6-compat, debian-slim (glibc 2.36).

Options:
  --require R   exit 4 unless every FILE meets R: static (runs FROM scratch), alpine (runs on
                plain Alpine), glibc>=2.x (runs on glibc 2.x or newer)
  --json        one JSON array on stdout
  -h, --help    show this help`;

// One inspect() call; the exit code says whether --require is met.
export const inspectCommand = defineCommand('inspect', HELP, {
  options: { require: { type: 'string' }, json: { type: 'boolean' } },
  run: async ({ values, positionals }, ctx) => {
    const require = stringFlag(values.require);
    const reports = await inspect(positionals, require);
    ctx.stdout(ctx.json ? JSON.stringify(reports) : reports.map(human).join('\n\n'));
    const unmet = reports.filter((r) => (r.unmet?.length ?? 0) > 0);
    for (const r of unmet) ctx.stderr(`build-static: ${r.path} does not meet --require ${require}: ${r.unmet!.join('; ')}`);
    return unmet.length > 0 ? EXIT.VERIFY : EXIT.OK;
  },
});

function human(r: InspectReport): string {
  const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '-');
  const lines = [
    r.path,
    `  ${r.class} ${r.machine} ${r.type}, ${r.linkage}${r.stripped ? ', stripped' : ''}${r.buildId ? `, build-id ${r.buildId}` : ''}`,
    `  interpreter: ${r.interpreter ?? '-'}   needed: ${list(r.needed)}` +
      `${r.rpath.length ? `   rpath: ${list(r.rpath)}` : ''}${r.runpath.length ? `   runpath: ${list(r.runpath)}` : ''}`,
    `  allocator: ${r.allocator}   threads: ${threads(r.multiThreaded)}   glibc floor: ${r.glibcFloor ?? '-'}`,
  ];
  if (r.glibcOnlySymbols.length) lines.push(`  glibc-only symbols: ${r.glibcOnlySymbols.map((g) => g.symbol).join(', ')}`);
  if (r.dependencies) {
    const crates = r.dependencies.packages.filter((p) => !p.root);
    const build = crates.filter((p) => p.kind === 'build').length;
    lines.push(`  embedded dependencies (.dep-v0): ${crates.length} crates${build ? ` (${build} build-time only)` : ''}`);
    for (const p of r.dependencies.packages)
      lines.push(
        `    ${p.name} ${p.version}${p.source === 'crates.io' ? '' : ` (${p.source})`}` +
          `${p.root ? ' [root]' : ''}${p.kind === 'build' ? ' [build]' : ''}`,
      );
  }
  lines.push(`  runs on: ${r.verdicts.map((v) => `${v.image} ${v.ok ? 'yes' : 'no'}`).join('  ')}`);
  for (const v of r.verdicts.filter((v) => !v.ok && v.image !== 'scratch')) lines.push(`    ${v.image}: ${v.reasons.join('; ')}`);
  return lines.join('\n');
}

const threads = (multi: boolean | null): string => (multi === null ? 'unknown' : multi ? 'yes' : 'no');

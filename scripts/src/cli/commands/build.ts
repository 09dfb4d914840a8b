// `build-static build`: parse flags, call build(), print progress, a summary table or JSON.
import { build, type BuildOptions, type BuildResult } from '../../core/build/build.ts';
import type { BuildEvent } from '../../core/build/events.ts';
import type { BuildPlan } from '../../core/build/plan.ts';
import { escapeStep } from '../../core/exec/escape.ts';
import { BuildStaticError } from '../../errors.ts';
import { type FlagValue, listFlag, parseCommandArgs, strictListFlag, stringFlag } from '../args.ts';
import { EXIT_CODES_HELP } from '../report.ts';
import type { CommandContext } from '../context.ts';
import { formatSize, table } from '../format.ts';
import { ENGINE_HELP, ENGINE_OPTIONS, engineBuildCommand, engineRequestFrom } from './build-engine.ts';

export const BUILD_HELP = `Usage: build-static build [DIR] [options]

Cross-compiles the Rust project in DIR (default: .) into fully static musl executables for
each platform, verifies every output by reading its ELF, and writes OUT/<os>-<arch>/<bin> plus
OUT/build-static.json. No QEMU: every platform is compiled on this machine.

Options:
  --platform LIST        platforms, comma-separated or repeated (default linux/amd64,linux/arm64)
  --bin NAME             build only this binary (default: every binary of the package in DIR)
  --profile NAME         cargo profile (default release)
  --features LIST        cargo features to enable (comma-separated or repeated)
  --no-default-features  do not enable the default features
  --allocator NAME       auto | mimalloc | mimalloc-secure | system  (default auto: mimalloc
                         linked in at link time, no code change, unless the crate sets its own
                         #[global_allocator], which is kept; system keeps musl's malloc)
  --std SOURCE           auto | prebuilt | rustup | sysroot | build-std: where the target's std
                         comes from (default auto: a toolchain that has it, then rustup, then std
                         built once from rust-src into a cached sysroot; build-std rebuilds it per target dir)
  --out DIR              output directory (default <cargo target dir>/build-static/out)
  --auditable            embed the dependency list in each binary (cargo-auditable's .dep-v0
                         section, read by trivy, grype, syft and build-static inspect); turning it
                         on or off changes RUSTFLAGS, so cargo recompiles the dependencies once
  --out DIR              output directory (default <cargo target dir>/build-static/out); an existing
                         DIR is replaced only when it holds an earlier build's output
  --force                replace an existing --out DIR that is not build-static's output (never
                         the project, the current directory, $HOME or a file)
  --dry-run              print the resolved toolchains and exact cargo commands, build nothing
  --json                 print one JSON object on stdout (cargo's progress still goes to stderr)
  --verbose              print extra detail with errors
  -h, --help             show this help

${ENGINE_HELP}

Settings can also live in Cargo.toml; flags win:
  [package.metadata.build-static]   (or [workspace.metadata.build-static])
  platforms = ["linux/amd64", "linux/arm64"]
  bin = "server"        profile = "release"      features = ["metrics"]
  allocator = "mimalloc"   std = "auto"           base = "cgr.dev/chainguard/static"   tag = "…"

Examples:
  build-static build
  build-static build examples/allowlist --platform linux/arm64 --bin allowlist
  build-static build --dry-run --json | jq '.plan[].argv'
  build-static build --engine buildx --builder remote-bk --tag registry.example/app:1 --push

${EXIT_CODES_HELP}`;

export const BUILD_OPTIONS = {
  platform: { type: 'string', multiple: true },
  bin: { type: 'string' },
  profile: { type: 'string' },
  features: { type: 'string', multiple: true },
  'no-default-features': { type: 'boolean' },
  allocator: { type: 'string' },
  std: { type: 'string' },
  out: { type: 'string' },
  auditable: { type: 'boolean' },
  force: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

// Runs the command; returns the exit code (errors propagate to main, which reports them).
export async function buildCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('build', argv, { ...BUILD_OPTIONS, ...ENGINE_OPTIONS });
  if (values.help) {
    ctx.stdout(BUILD_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new BuildStaticError('USAGE', `build takes one project directory, got ${positionals.length}: ${positionals.join(' ')}`);
  ctx.json = values.json === true;
  ctx.verbose = values.verbose === true;
  const request = engineRequestFrom(values);
  if (request) return engineBuildCommand(request, values, positionals, ctx);
  const result = await build(buildOptionsFrom(values, positionals, ctx));
  ctx.stdout(ctx.json ? JSON.stringify(resultJson(result)) : humanSummary(result));
  return 0;
}

// The build options both `build` and `image` take, from parsed flags.
export function buildOptionsFrom(values: Record<string, FlagValue>, positionals: string[], ctx: CommandContext): BuildOptions {
  return {
    dir: positionals[0] ?? '.',
    platforms: strictListFlag('--platform', values.platform),
    bin: stringFlag(values.bin),
    profile: stringFlag(values.profile),
    features: listFlag(values.features),
    noDefaultFeatures: values['no-default-features'] === true ? true : undefined,
    allocator: stringFlag(values.allocator),
    std: stringFlag(values.std),
    out: stringFlag(values.out),
    auditable: values.auditable === true,
    force: values.force === true,
    dryRun: values['dry-run'] === true,
    signal: ctx.signal,
    onEvent: (event) => showEvent(event, ctx),
  };
}

// Prints build progress to stderr (stdout stays for the summary or JSON).
export function showEvent(event: BuildEvent, ctx: CommandContext): void {
  const tag = 'platform' in event && event.platform ? `[${event.platform.id}] ` : '';
  switch (event.type) {
    case 'toolchain':
      ctx.stderr(`${tag}toolchain: ${event.rustc}, std: ${event.std}${event.reason ? ` — ${event.reason}` : ''}${ctx.verbose && event.notes.length ? ` (${event.notes.join('; ')})` : ''}`);
      break;
    case 'setup':
      ctx.stderr(`setup: ${event.line}`);
      break;
    case 'start':
      ctx.stderr(`${tag}$ ${event.command}`);
      break;
    case 'cargo':
      ctx.stderr(`${tag}${event.line}`);
      break;
    case 'finished':
      ctx.stderr(`${tag}built in ${event.seconds.toFixed(1)} s`);
      break;
    case 'warning':
      ctx.stderr(`build-static: warning: ${event.message}`);
      break;
  }
}

function planJson(result: BuildResult) {
  return result.plan.steps.map((s) => ({ platform: s.platform.id, target: s.platform.triple, argv: s.argv, env: s.env, cwd: s.cwd, notes: s.notes }));
}

function resultJson(result: BuildResult) {
  return {
    ok: true,
    dryRun: result.dryRun,
    out: result.out,
    toolchains: result.input.toolchains.map((t) => ({ platform: t.platform.id, std: t.rust.std, rustc: t.rust.toolchain.rustc, version: t.rust.toolchain.version, reason: t.rust.reason, notes: t.rust.notes })),
    setup: (result.plan.setup ?? []).map((s) => s.argv),
    plan: planJson(result),
    outputs: result.manifest?.outputs ?? [],
    warnings: result.warnings,
  };
}

// The dry run's first paragraph when the build installs its toolchain first.
export function setupLines(plan: BuildPlan): string[] {
  return plan.setup?.length ? [['# first, once: install the toolchain rust-version asks for', ...plan.setup.map((s) => escapeStep(s))].join('\n')] : [];
}

function humanSummary(result: BuildResult): string {
  if (result.dryRun) {
    return [...setupLines(result.plan), ...result.plan.steps
      .map((s) => [`# ${s.platform.id} (${s.platform.triple}): ${s.notes.join('; ')}`, `cd ${s.cwd} && ${escapeStep(s)}`].join('\n'))]
      .join('\n\n');
  }
  const rows = (result.manifest?.outputs ?? []).map((o) => [o.platform, o.bin, formatSize(o.size), o.linkage, `${o.allocator} (${o.allocatorReason}${o.allocatorCrate ? ` ${o.allocatorCrate}` : ''})`, o.toolchain.std, o.sha256.slice(0, 12)]);
  return [table(['PLATFORM', 'BIN', 'SIZE', 'LINKAGE', 'ALLOCATOR', 'STD', 'SHA256'], rows), `wrote ${result.out}`].join('\n');
}

// `build-static build`: its flags and help, one build() call, a summary table or JSON.
import { build, type BuildResult } from '../../core/build/build.ts';
import { escapeStep } from '../../core/exec/escape.ts';
import { defineCommand } from '../command.ts';
import { formatSize, table } from '../format.ts';
import { BUILD_OPTIONS, buildOptionsFrom, setupLines } from './build-options.ts';
import { ENGINE_HELP, ENGINE_OPTIONS, engineBuildCommand, engineRequestFrom } from './build-engine.ts';

const HELP = `Usage: build-static build [DIR] [options]

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
  build-static build --engine buildx --builder remote-bk --tag registry.example/app:1 --push`;

// `build` with --engine hands over to the engine half (build-engine.ts).
export const buildCommand = defineCommand('build', HELP, {
  options: { ...BUILD_OPTIONS, ...ENGINE_OPTIONS },
  onePositional: 'one project directory',
  run: async ({ values, dir }, ctx) => {
    const request = engineRequestFrom(values);
    if (request) return engineBuildCommand(request, values, dir, ctx);
    const result = await build(buildOptionsFrom(values, dir, ctx));
    ctx.stdout(ctx.json ? JSON.stringify(resultJson(result)) : humanSummary(result));
    return 0;
  },
});

function planJson(result: BuildResult) {
  return result.plan.steps.map((s) => ({
    platform: s.platform.id,
    target: s.platform.triple,
    platforms: s.platforms.map((p) => p.id),
    argv: s.argv,
    env: s.env,
    cwd: s.cwd,
    notes: s.notes,
  }));
}

function resultJson(result: BuildResult) {
  return {
    ok: true,
    dryRun: result.dryRun,
    out: result.out,
    toolchains: result.input.toolchains.map((t) => ({
      platform: t.platform.id,
      std: t.rust.std,
      rustc: t.rust.toolchain.rustc,
      version: t.rust.toolchain.version,
      reason: t.rust.reason,
      notes: t.rust.notes,
    })),
    setup: (result.plan.setup ?? []).map((s) => s.argv),
    plan: planJson(result),
    outputs: result.manifest?.outputs ?? [],
    warnings: result.warnings,
  };
}

function humanSummary(result: BuildResult): string {
  if (result.dryRun) {
    return [
      ...setupLines(result.plan),
      ...result.plan.steps.map((s) =>
        [`# ${s.platform.id} (${s.platform.triple}): ${s.notes.join('; ')}`, `cd ${s.cwd} && ${escapeStep(s)}`].join('\n'),
      ),
    ].join('\n\n');
  }
  const rows = (result.manifest?.outputs ?? []).map((o) => [
    o.platform,
    o.bin,
    formatSize(o.size),
    o.linkage,
    `${o.allocator} (${o.allocatorReason}${o.allocatorCrate ? ` ${o.allocatorCrate}` : ''})`,
    o.toolchain.std,
    o.sha256.slice(0, 12),
  ]);
  return [table(['PLATFORM', 'BIN', 'SIZE', 'LINKAGE', 'ALLOCATOR', 'STD', 'SHA256'], rows), `wrote ${result.out}`].join('\n');
}

#!/usr/bin/env node
// build-static's entry point: picks the command, runs it, and maps any failure to one line and
// an exit code. Sets process.exitCode instead of calling exit, so output is flushed.
import { stat } from 'node:fs/promises';
import process from 'node:process';
import { VERSION } from './version.ts';
import type { Command } from './command.ts';
import type { CommandContext } from './context.ts';
import { endAllProcessGroups } from '../core/exec/process-group.ts';
import { BuildStaticError } from '../errors.ts';
import { EXIT, EXIT_CODES_HELP, formatReport, reportJson, toReport } from './report.ts';

const MAIN_HELP = `Usage: build-static <command> [options]

Turns a Rust repository into fully static, multi-platform executables (and container images).

Commands:
  build [DIR]     cross-compile static musl binaries for linux/amd64 and linux/arm64, verify them
  plan [DIR]      write the dependency-caching recipe (cargo-chef's recipe.json format)
  cook [DIR]      compile a recipe's dependencies with build's exact flags (a cached layer)
  image [DIR]     build, then assemble a multi-platform OCI image (layout, archive, push, load)
  inspect FILE…   static or dynamic, allocator, glibc floor, will it run on scratch/alpine/debian
  bundle EXE… OUT copy a dynamic program with exactly the libraries it loads (runs FROM scratch)
  dockerfile [DIR] print a Dockerfile: cargo-chef cache, cross-compiled on $BUILDPLATFORM, no QEMU
  doctor [DIR]    check this machine can build for every platform; names the fix for each gap
  matrix --exe …  each build on each run base (scratch … debian-slim): size, starts?, inspect's guess
  help [COMMAND]  show help for a command

Run "build-static <command> --help" for a command's options.
"build-static [DIR] [options]" with no command runs image (build + image, OCI layout output).

${EXIT_CODES_HELP}`;

// Each command's module is loaded when that command runs, so `build` does not load the registry
// client, bundle or matrix code (0.1 s of every start-up). The order is the one errors list.
const COMMANDS: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./commands/build.ts')).buildCommand,
  plan: async () => (await import('./commands/plan.ts')).planCommand,
  cook: async () => (await import('./commands/cook.ts')).cookCommand,
  inspect: async () => (await import('./commands/inspect.ts')).inspectCommand,
  bundle: async () => (await import('./commands/bundle.ts')).bundleCommand,
  image: async () => (await import('./commands/image.ts')).imageCommand,
  dockerfile: async () => (await import('./commands/dockerfile.ts')).dockerfileCommand,
  doctor: async () => (await import('./commands/doctor.ts')).doctorCommand,
  matrix: async () => (await import('./commands/matrix.ts')).matrixCommand,
};

const unknownCommand = (name: string) =>
  new BuildStaticError(
    'USAGE',
    `unknown command "${name}"; commands: ${[...Object.keys(COMMANDS), 'help'].join(', ')} (or a project directory: build-static DIR)`,
  );

// `build-static DIR` is the image shorthand only when DIR looks like a path or exists; any other
// word is a mistyped command, not a project that "does not exist".
async function commandFor(first: string): Promise<(argv: string[], ctx: CommandContext) => Promise<number>> {
  const known = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (known) {
    const command = await known();
    return (argv, ctx) => command.run(argv.slice(1), ctx);
  }
  const looksLikePath =
    first.startsWith('-') ||
    first.includes('/') ||
    first.startsWith('.') ||
    (await stat(first).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  if (!looksLikePath) throw unknownCommand(first);
  return (await COMMANDS.image!()).run;
}

function checkCwd(): void {
  try {
    process.cwd();
  } catch {
    throw new BuildStaticError(
      'USAGE',
      'the current directory no longer exists (deleted or unmounted): cd into an existing directory and run build-static again',
    );
  }
}

// Dispatches argv to a command and returns the exit code.
export async function main(argv: string[], ctx: CommandContext): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h') {
      ctx.stdout(MAIN_HELP);
      return first === undefined ? EXIT.BAD_INPUT : EXIT.OK;
    }
    if (first === '--version' || first === '-V') {
      ctx.stdout(`build-static ${VERSION}`);
      return EXIT.OK;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic !== undefined && !Object.hasOwn(COMMANDS, topic)) throw unknownCommand(topic);
      ctx.stdout(topic ? (await COMMANDS[topic]!()).help : MAIN_HELP);
      return EXIT.OK;
    }
    checkCwd();
    const run = await commandFor(first);
    const code = await run(argv, ctx);
    return ctx.signal?.aborted ? interrupted(ctx) : code;
  } catch (error) {
    if (ctx.signal?.aborted) return interrupted(ctx);
    const report = toReport(error);
    if (ctx.json) ctx.stdout(reportJson(report));
    ctx.stderr(formatReport(report, ctx.verbose));
    return report.exitCode;
  }
}

// The one line and exit code of an interrupt: 130 for SIGINT, 143 for SIGTERM.
function interrupted(ctx: CommandContext): number {
  const terminated = ctx.signal?.reason === 'SIGTERM';
  if (ctx.json)
    ctx.stdout(JSON.stringify({ ok: false, error: { code: terminated ? 'TERMINATED' : 'INTERRUPTED', message: 'interrupted' } }));
  ctx.stderr(`build-static: interrupted${terminated ? ' (SIGTERM)' : ''}`);
  return terminated ? EXIT.TERMINATED : EXIT.INTERRUPTED;
}

// `process.on`, not `once`: execa's signal-exit re-raises a signal when it sees no other listener,
// and a `once` listener is gone by then, so node died of the signal before any message was printed.
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (!controller.signal.aborted) controller.abort(sig);
    void endAllProcessGroups();
  });
}
const ctx: CommandContext = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  signal: controller.signal,
  json: process.argv.includes('--json'),
  verbose: process.argv.includes('--verbose'),
};
main(process.argv.slice(2), ctx).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`build-static: internal error: ${String(error)}\n`);
    process.exitCode = EXIT.FAILED;
  },
);

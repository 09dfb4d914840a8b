#!/usr/bin/env node
// build-static's entry point: picks the command, runs it, and maps any failure to one line and
// an exit code. Sets process.exitCode instead of calling exit, so output is flushed.
import process from 'node:process';
import { buildCommand, BUILD_HELP } from './commands/build.ts';
import { cookCommand, COOK_HELP } from './commands/cook.ts';
import { planCommand, PLAN_HELP } from './commands/plan.ts';
import { imageCommand, IMAGE_HELP } from './commands/image.ts';
import { inspectCommand, INSPECT_HELP } from './commands/inspect.ts';
import { bundleCommand, BUNDLE_HELP } from './commands/bundle.ts';
import { dockerfileCommand, DOCKERFILE_HELP } from './commands/dockerfile.ts';
import { doctorCommand, DOCTOR_HELP } from './commands/doctor.ts';
import { VERSION } from './version.ts';
import type { CommandContext } from './context.ts';
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
  help [COMMAND]  show help for a command

Run "build-static <command> --help" for a command's options.
"build-static [DIR] [options]" with no command runs image (build + image, OCI layout output).

${EXIT_CODES_HELP}`;

const COMMANDS: Record<string, { run: (argv: string[], ctx: CommandContext) => Promise<number>; help: string }> = {
  build: { run: buildCommand, help: BUILD_HELP },
  plan: { run: planCommand, help: PLAN_HELP },
  cook: { run: cookCommand, help: COOK_HELP },
  inspect: { run: inspectCommand, help: INSPECT_HELP },
  bundle: { run: bundleCommand, help: BUNDLE_HELP },
  image: { run: imageCommand, help: IMAGE_HELP },
  dockerfile: { run: dockerfileCommand, help: DOCKERFILE_HELP },
  doctor: { run: doctorCommand, help: DOCTOR_HELP },
};

// Dispatches argv to a command and returns the exit code.
export async function main(argv: string[], ctx: CommandContext): Promise<number> {
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
    ctx.stdout(topic && COMMANDS[topic] ? COMMANDS[topic].help : MAIN_HELP);
    return EXIT.OK;
  }
  const command = COMMANDS[first];
  try {
    return command ? await command.run(rest, ctx) : await imageCommand(argv, ctx);
  } catch (error) {
    if (ctx.signal?.aborted) {
      ctx.stderr('build-static: interrupted');
      return EXIT.INTERRUPTED;
    }
    const report = toReport(error);
    if (ctx.json) ctx.stdout(reportJson(report));
    ctx.stderr(formatReport(report, ctx.verbose));
    return report.exitCode;
  }
}

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
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

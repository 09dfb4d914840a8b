// `build-static doctor [DIR]`: parse flags, run the machine checks, print one line per check (and
// the fix for each failed one) or JSON; exit 3 when a required piece is missing.
import { runDoctor, type DoctorCheck } from '../../core/doctor/doctor.ts';
import { PLATFORMS, parsePlatforms } from '../../core/platform.ts';
import { BuildStaticError } from '../../errors.ts';
import { listFlag, parseCommandArgs } from '../args.ts';
import type { CommandContext } from '../context.ts';
import { EXIT, EXIT_CODES_HELP } from '../report.ts';

export const DOCTOR_HELP = `Usage: build-static doctor [DIR] [--platform LIST] [--quick] [--json]

Checks that this machine can build fully static binaries for every platform, the way a build
does it: Node, a Rust toolchain (DIR's rust-toolchain.toml honoured), std for each musl target,
each GNU cross gcc compiling and linking a C program (libc headers), musl for each architecture,
a static C program through the musl wrapper, qemu for the other architecture, helper programs
some -sys crates need (cmake, perl, clang); then builds a Rust hello for every platform with
build-static itself, verifies its ELF and runs it. Every missing piece is one line with the
exact command that fixes it. ./setup.sh ends with this check.

Options:
  --platform LIST   platforms to check (default linux/amd64,linux/arm64)
  --quick           skip building and running the Rust hello
  --json            one JSON object on stdout: {ok, checks: [{id, title, ok, required, detail, fix}]}
  -h, --help        show this help

Exit status: 0 when every required check passed (optional ones may warn), 3 when a required
piece is missing, 2 for bad flags.

${EXIT_CODES_HELP}`;

// Runs the command and returns the exit code.
export async function doctorCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('doctor', argv, { platform: { type: 'string', multiple: true }, quick: { type: 'boolean' }, json: { type: 'boolean' } });
  if (values.help) {
    ctx.stdout(DOCTOR_HELP);
    return EXIT.OK;
  }
  if (positionals.length > 1) throw new BuildStaticError('USAGE', `doctor takes one project directory, got ${positionals.length}: ${positionals.join(' ')}`);
  ctx.json = values.json === true;
  const platforms = parsePlatforms(listFlag(values.platform) ?? PLATFORMS.map((p) => p.id));
  const report = await runDoctor({
    dir: positionals[0] ?? '.',
    platforms,
    quick: values.quick === true,
    signal: ctx.signal,
    onCheck: ctx.json ? undefined : (check) => ctx.stderr(line(check)),
  });
  if (ctx.json) ctx.stdout(JSON.stringify(report));
  const missing = report.checks.filter((c) => !c.ok && c.required);
  const warned = report.checks.filter((c) => !c.ok && !c.required).length;
  if (!ctx.json) {
    ctx.stdout(report.ok ? `doctor: ready${warned ? ` (${warned} optional ${warned === 1 ? 'piece' : 'pieces'} missing, see above)` : ''}` : `doctor: ${missing.length} required ${missing.length === 1 ? 'piece is' : 'pieces are'} missing`);
  }
  return report.ok ? EXIT.OK : EXIT.ENVIRONMENT;
}

function line(check: DoctorCheck): string {
  const mark = check.ok ? 'ok  ' : check.required ? 'FAIL' : 'warn';
  return `${mark} ${check.title}: ${check.detail}${check.ok || !check.fix ? '' : `\n       fix: ${check.fix}`}`;
}

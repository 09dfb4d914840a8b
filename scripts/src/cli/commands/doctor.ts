// `build-static doctor [DIR]`: parse flags, run the machine checks, print one line per check (and
// the fix for each failed one) or JSON; exit 3 when a required piece is missing.
import { runDoctor, type DoctorCheck, type DoctorReport } from '../../core/doctor/doctor.ts';
import { PLATFORMS, parsePlatforms } from '../../core/platform.ts';
import { listFlag } from '../args.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../report.ts';

const HELP = `Usage: build-static doctor [DIR] [--platform LIST] [--quick] [--json]

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
piece is missing, 2 for bad flags.`;

// One runDoctor() call; a line per check as it finishes, then the verdict (exit 3 when not ready).
export const doctorCommand = defineCommand('doctor', HELP, {
  options: { platform: { type: 'string', multiple: true }, quick: { type: 'boolean' }, json: { type: 'boolean' } },
  onePositional: 'one project directory',
  run: async ({ values, dir }, ctx) => {
    const platforms = parsePlatforms(listFlag(values.platform) ?? PLATFORMS.map((p) => p.id));
    const report = await runDoctor({
      dir,
      platforms,
      quick: values.quick === true,
      signal: ctx.signal,
      onCheck: ctx.json ? undefined : (check) => ctx.stderr(line(check)),
    });
    if (ctx.json) ctx.stdout(JSON.stringify(report));
    else ctx.stdout(verdict(report));
    return report.ok ? EXIT.OK : EXIT.ENVIRONMENT;
  },
});

function verdict(report: DoctorReport): string {
  const missing = report.checks.filter((c) => !c.ok && c.required).length;
  const warned = report.checks.filter((c) => !c.ok && !c.required).length;
  if (!report.ok) return `doctor: ${missing} required ${missing === 1 ? 'piece is' : 'pieces are'} missing`;
  return `doctor: ready${warned ? ` (${warned} optional ${warned === 1 ? 'piece' : 'pieces'} missing, see above)` : ''}`;
}

function line(check: DoctorCheck): string {
  const mark = check.ok ? 'ok  ' : check.required ? 'FAIL' : 'warn';
  return `${mark} ${check.title}: ${check.detail}${check.ok || !check.fix ? '' : `\n       fix: ${check.fix}`}`;
}

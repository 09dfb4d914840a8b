// The only place that turns errors into text and exit codes. The library throws BuildStaticError
// (or the registry's, ELF's and OCI's own errors); errors.ts's ERROR_TABLE gives each code its
// exit status, and the exit-code help (in --help and README) is generated from that same table.
import { EXIT, ERROR_TABLE, isBuildStaticError, type ReportedCode } from '../errors.ts';
import { isElfError } from '../elf/index.ts';
import type { ElfErrorCode } from '../elf/errors.ts';
import { isOciError, type OciErrorCode } from '../oci/errors.ts';
import { isRegistryError } from '../oci/registry/errors.ts';

export { EXIT } from '../errors.ts';

export interface Report {
  readonly code: ReportedCode;
  readonly message: string;
  readonly detail?: string;
  /** A stack, printed only with --verbose and never in --json. */
  readonly stack?: string;
  readonly exitCode: number;
}

// The ELF reader's and the OCI model's own codes, each reported as one table code (a new code
// there without a line here does not compile).
const ELF_REPORTED = {
  ELF_NOT_ELF: 'ELF_INVALID',
  ELF_MALFORMED: 'ELF_INVALID',
  ELF_UNSUPPORTED: 'ELF_INVALID',
  ELF_IO: 'ELF_INVALID',
} as const satisfies Record<ElfErrorCode, ReportedCode>;
const OCI_REPORTED = { OCI_INVALID: 'OCI_INVALID', OCI_IO: 'OCI_IO' } as const satisfies Record<OciErrorCode, ReportedCode>;

const report = (code: ReportedCode, message: string, detail?: string): Report => ({
  code,
  message,
  ...(detail ? { detail } : {}),
  exitCode: ERROR_TABLE[code].exit,
});

// Classifies anything thrown into a Report (unknown errors are INTERNAL, exit 1).
export function toReport(error: unknown): Report {
  if (isBuildStaticError(error)) return report(error.code, error.message, error.detail);
  if (isElfError(error)) return report(ELF_REPORTED[(error as { code: ElfErrorCode }).code] ?? 'ELF_INVALID', (error as Error).message);
  if (isRegistryError(error)) {
    const e = error as { code: string; message: string };
    return e.code in ERROR_TABLE ? report(e.code as ReportedCode, e.message) : report('INTERNAL', e.message);
  }
  if (isOciError(error)) return report(OCI_REPORTED[error.code] ?? 'OCI_INVALID', error.message, error.detail);
  const message = error instanceof Error ? error.message : String(error);
  return { ...report('INTERNAL', `internal error: ${message}`), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) };
}

// One line for people (detail only when verbose or when it is a helper command's stderr).
export function formatReport(r: Report, verbose: boolean): string {
  const lines = [`build-static: error: ${r.message}`];
  if (r.detail && (verbose || r.code === 'COMMAND_FAILED')) lines.push(...r.detail.split('\n').map((l) => `  ${l}`));
  if (r.stack && verbose) lines.push(...r.stack.split('\n').map((l) => `  ${l}`));
  return lines.join('\n');
}

// Machine form for --json (never a stack).
export function reportJson(r: Report): string {
  return JSON.stringify({ ok: false, error: { code: r.code, message: r.message, ...(r.detail ? { detail: r.detail } : {}) } });
}

const MEANING: Record<number, string> = {
  [EXIT.OK]: 'success',
  [EXIT.FAILED]: 'cargo, a helper command, a write or the network failed',
  [EXIT.BAD_INPUT]: 'bad input, whoever detects it (build-static or cargo)',
  [EXIT.ENVIRONMENT]: 'the machine lacks something (toolchain, cross gcc, musl, a C library, a tool)',
  [EXIT.VERIFY]: 'verification failed (not static, wrong allocator, bundle test, inspect --require)',
  [EXIT.INTERRUPTED]: 'interrupted (SIGINT, Ctrl-C)',
  [EXIT.TERMINATED]: 'terminated (SIGTERM)',
};

function codesFor(exit: number): string[] {
  return Object.entries(ERROR_TABLE)
    .filter(([, e]) => e.exit === exit)
    .map(([c]) => c);
}

function wrap(words: readonly string[], indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + line.length + w.length + 1 > width) {
      lines.push(`${indent}${line}`);
      line = '';
    }
    line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}

// The exit-code section of every --help, generated from ERROR_TABLE.
export function exitCodesHelp(): string {
  const lines = ['Exit codes (build-static: error: <one line>; --json gives {"error":{"code"}}):'];
  for (const exit of Object.values(EXIT)) {
    lines.push(`  ${String(exit).padEnd(4)} ${MEANING[exit]}`);
    const codes = codesFor(exit).filter((c) => c !== 'INTERRUPTED' && c !== 'TERMINATED');
    if (codes.length)
      lines.push(
        ...wrap(
          codes.map((c, i) => (i < codes.length - 1 ? `${c},` : c)),
          '         ',
        ),
      );
  }
  return lines.join('\n');
}

export const EXIT_CODES_HELP = exitCodesHelp();

// README's exit-code table (test/cli/exit-codes.test.ts checks README holds exactly this).
export function exitCodesMarkdown(): string {
  const rows = Object.values(EXIT).flatMap((exit) => {
    const codes = codesFor(exit);
    return codes.length
      ? codes.map((c) => `| \`${exit}\` | \`${c}\` | ${ERROR_TABLE[c as ReportedCode].help} |`)
      : [`| \`${exit}\` | | ${MEANING[exit]} |`];
  });
  return ['| exit | code | meaning |', '|--:|---|---|', ...rows].join('\n');
}

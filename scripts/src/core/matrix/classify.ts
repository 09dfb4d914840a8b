// Why a program did not start on a base, from what the real run printed: the loader or a library
// is missing, the glibc is too old, a glibc-only symbol is absent from musl, or the base lacks CA
// certificates or a passwd entry. The first matching row wins; the table is the test's too.
export type FailureKind = 'missing-loader' | 'missing-libgcc_s' | 'missing-library' | 'glibc-version' | 'symbol-not-found' | 'missing-ca-certificates' | 'missing-user' | 'exit-code';

export interface RunOutcome {
  /** Exit code, or undefined when a signal or timeout ended it. */
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export const FAILURE_ROWS: ReadonlyArray<{ kind: FailureKind; pattern: RegExp }> = [
  { kind: 'missing-libgcc_s', pattern: /libgcc_s\.so\.1/ },
  { kind: 'glibc-version', pattern: /version [`']GLIBC_[\d.]+' not found/ },
  { kind: 'symbol-not-found', pattern: /Error relocating .*symbol not found/ },
  { kind: 'missing-library', pattern: /cannot open shared object file|Error loading shared library/ },
  // chroot/execve report ENOENT for the program itself when its PT_INTERP loader is absent.
  // qemu-user names the PT_INTERP it cannot open (arm64 cells).
  { kind: 'missing-loader', pattern: /failed to run command .*No such file or directory|exec format error|: not found|Could not open '[^']*ld-[^']*'/i },
  { kind: 'missing-ca-certificates', pattern: /certificate|no native root CA/i },
  { kind: 'missing-user', pattern: /\/etc\/passwd|no such user|unknown user/i },
];

const LABEL: Record<FailureKind, string> = {
  'missing-loader': 'no loader',
  'missing-libgcc_s': 'no libgcc_s',
  'missing-library': 'missing library',
  'glibc-version': 'glibc too old',
  'symbol-not-found': 'glibc-only symbol',
  'missing-ca-certificates': 'no CA certificates',
  'missing-user': 'no passwd user',
  'exit-code': 'exit code',
};

// The failure kind and one-line reason of a run that did not start.
export function classifyFailure(outcome: RunOutcome): { kind: FailureKind; reason: string } {
  const text = outcome.stderr;
  const row = FAILURE_ROWS.find((r) => r.pattern.test(text));
  const line = text.split('\n').map((l) => l.trim()).find((l) => (row ? row.pattern.test(l) : l !== ''));
  if (row) return { kind: row.kind, reason: `${LABEL[row.kind]}: ${line ?? ''}`.trim() };
  return { kind: 'exit-code', reason: `exit code ${outcome.exitCode ?? '(signal)'}${line ? `: ${line}` : ''}` };
}

// Did the program start? Exit 0, or a server that printed its ready line before it was stopped.
export function started(outcome: RunOutcome, ready?: RegExp): boolean {
  if (ready) return ready.test(outcome.stdout) || ready.test(outcome.stderr);
  return outcome.exitCode === 0;
}

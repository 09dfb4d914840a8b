// The only place that turns errors into text and exit codes. The library throws
// BuildStaticError with a code from a closed set; this maps each code to an exit status.
import { isBuildStaticError, type ErrorCode } from '../errors.ts';
import { isElfError } from '../elf/index.ts';
import { isOciError } from '../oci/errors.ts';
import { isRegistryError } from '../oci/registry/errors.ts';

export const EXIT = {
  OK: 0,
  FAILED: 1,
  BAD_INPUT: 2,
  ENVIRONMENT: 3,
  VERIFY: 4,
  INTERRUPTED: 130,
} as const;

const EXIT_FOR: Record<ErrorCode, number> = {
  USAGE: EXIT.BAD_INPUT,
  CONFIG_INVALID: EXIT.BAD_INPUT,
  NOT_CARGO_PROJECT: EXIT.BAD_INPUT,
  CARGO_METADATA_FAILED: EXIT.BAD_INPUT,
  NO_BINARY_TARGET: EXIT.BAD_INPUT,
  UNKNOWN_BIN: EXIT.BAD_INPUT,
  UNKNOWN_PLATFORM: EXIT.BAD_INPUT,
  ELF_INVALID: EXIT.BAD_INPUT,
  RECIPE_INVALID: EXIT.BAD_INPUT,
  RECIPE_UNSUPPORTED: EXIT.BAD_INPUT,
  LOCKFILE_MISSING: EXIT.BAD_INPUT,
  BUNDLE_INVALID: EXIT.BAD_INPUT,
  LIBRARY_MISSING: EXIT.ENVIRONMENT,
  TOOL_MISSING: EXIT.ENVIRONMENT,
  BUNDLE_TEST_FAILED: EXIT.VERIFY,
  TOOLCHAIN_MISSING: EXIT.ENVIRONMENT,
  LINKER_MISSING: EXIT.ENVIRONMENT,
  NATIVE_LIBRARY_MISSING: EXIT.ENVIRONMENT,
  VERIFY_FAILED: EXIT.VERIFY,
  ALLOCATOR_MISMATCH: EXIT.VERIFY,
  BUILD_FAILED: EXIT.FAILED,
  OUTPUT_FAILED: EXIT.FAILED,
  COMMAND_FAILED: EXIT.FAILED,
  OCI_INVALID: EXIT.BAD_INPUT,
  OCI_IO: EXIT.FAILED,
};

// Registry failures: the user's input (reference, credentials, missing image) is 2; the network
// or the registry failing is 1.
const REGISTRY_EXIT: Record<string, number> = {
  REFERENCE_INVALID: EXIT.BAD_INPUT,
  REGISTRY_NOT_FOUND: EXIT.BAD_INPUT,
  REGISTRY_PLATFORM_MISSING: EXIT.BAD_INPUT,
  REGISTRY_UNAUTHORIZED: EXIT.BAD_INPUT,
  REGISTRY_DENIED: EXIT.BAD_INPUT,
  REGISTRY_CREDENTIALS: EXIT.BAD_INPUT,
  PUSH_SOURCE_INVALID: EXIT.VERIFY,
};

export interface Report {
  readonly code: ErrorCode | 'INTERNAL' | string;
  readonly message: string;
  readonly detail?: string;
  readonly exitCode: number;
}

// Classifies anything thrown into a Report (unknown errors are INTERNAL, exit 1).
export function toReport(error: unknown): Report {
  if (isBuildStaticError(error)) {
    return { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}), exitCode: EXIT_FOR[error.code] ?? EXIT.FAILED };
  }
  if (isElfError(error)) return { code: 'ELF_INVALID', message: (error as Error).message, exitCode: EXIT.BAD_INPUT };
  if (isRegistryError(error)) {
    const e = error as { code: string; message: string };
    return { code: e.code, message: e.message, exitCode: REGISTRY_EXIT[e.code] ?? EXIT.FAILED };
  }
  if (isOciError(error)) {
    const code = error.code === 'OCI_IO' ? 'OCI_IO' : 'OCI_INVALID';
    return { code, message: error.message, ...(error.detail ? { detail: error.detail } : {}), exitCode: EXIT_FOR[code] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `internal error: ${message}`, ...(error instanceof Error && error.stack ? { detail: error.stack } : {}), exitCode: EXIT.FAILED };
}

// One line for people (detail only when verbose or when it is a helper command's stderr).
export function formatReport(report: Report, verbose: boolean): string {
  const lines = [`build-static: error: ${report.message}`];
  if (report.detail && (verbose || report.code === 'COMMAND_FAILED')) {
    lines.push(...report.detail.split('\n').map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

// Machine form for --json.
export function reportJson(report: Report): string {
  return JSON.stringify({ ok: false, error: { code: report.code, message: report.message, ...(report.detail ? { detail: report.detail } : {}) } });
}

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    the build or a helper command failed (cargo's errors are shown above)
  2    bad input: flags, Cargo.toml settings, not a Cargo project, unknown --bin or platform,
       no Cargo.lock, a corrupt recipe or one made for another project
  3    the machine lacks something: Rust toolchain, C cross compiler, musl, a C library a crate needs
  4    verification failed: a binary is not static for its platform, or uses the wrong allocator
  130  interrupted`;

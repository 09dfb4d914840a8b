// The closed set of failures build-static reports, each with its exit code and one line of help.
// The library throws these; only the CLI turns them into text and exit codes (cli/report.ts), so
// every failure has one wording and one code. The table below is the one home of codes: registry
// codes come from oci/registry (which may not import this file), and `satisfies` makes a code
// without an entry a compile error.
import { REGISTRY_ERROR_CODES, type RegistryErrorCode } from './oci/registry/errors.ts';

export const EXIT = {
  OK: 0,
  FAILED: 1,
  BAD_INPUT: 2,
  ENVIRONMENT: 3,
  VERIFY: 4,
  INTERRUPTED: 130,
  TERMINATED: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const { FAILED, BAD_INPUT, ENVIRONMENT, VERIFY } = EXIT;

// BuildStaticError's codes: [exit code, one-line help].
const CODES = {
  USAGE: [BAD_INPUT, 'a command-line flag, argument or command is wrong'],
  CONFIG_INVALID: [BAD_INPUT, 'build-static configuration in Cargo.toml is wrong, or cargo rejected a profile, feature or Cargo.lock'],
  NOT_CARGO_PROJECT: [BAD_INPUT, 'the directory is not a Cargo project'],
  CARGO_METADATA_FAILED: [BAD_INPUT, 'cargo could not read the project (its reason is in the message)'],
  NO_BINARY_TARGET: [BAD_INPUT, 'the project has no binary target'],
  UNKNOWN_BIN: [BAD_INPUT, 'the requested binary does not exist'],
  UNKNOWN_PLATFORM: [BAD_INPUT, 'the requested platform is not supported'],
  OUTPUT_REFUSED: [BAD_INPUT, 'an output path would replace something build-static cannot prove it wrote (pass --force where allowed)'],
  TOOLCHAIN_MISSING: [ENVIRONMENT, 'no Rust toolchain can build for the target'],
  LINKER_MISSING: [ENVIRONMENT, 'the C compiler, linker or libraries for the target are missing'],
  NATIVE_LIBRARY_MISSING: [ENVIRONMENT, 'a crate needs a C library the target lacks'],
  BUILD_FAILED: [FAILED, 'cargo failed (its errors are shown above)'],
  VERIFY_FAILED: [VERIFY, 'a built binary is not a static executable for its platform'],
  ALLOCATOR_MISMATCH: [VERIFY, 'a built binary does not use the required allocator'],
  ELF_INVALID: [BAD_INPUT, 'a file is not a readable ELF executable'],
  OUTPUT_FAILED: [FAILED, 'an output could not be written (disk full, permissions)'],
  COMMAND_FAILED: [FAILED, 'a helper command failed'],
  OCI_INVALID: [BAD_INPUT, 'an OCI image, layout or archive is malformed'],
  OCI_IO: [FAILED, 'an OCI layout or archive could not be read or written'],
  RECIPE_INVALID: [BAD_INPUT, 'a recipe file is unreadable, corrupt or made for another project'],
  RECIPE_UNSUPPORTED: [BAD_INPUT, 'the project has a shape a recipe cannot cache (a path outside the project root)'],
  LOCKFILE_MISSING: [BAD_INPUT, 'the project has no Cargo.lock'],
  BUNDLE_INVALID: [BAD_INPUT, 'a bundle input or output path is unusable (not a file, symlink loop, OUT not empty, too large)'],
  LIBRARY_MISSING: [ENVIRONMENT, 'a shared library an executable needs is not on this machine'],
  TOOL_MISSING: [ENVIRONMENT, 'a helper program or system file bundle needs (strace, chroot, upx, CA certificates, tzdata) is missing here'],
  BUNDLE_TEST_FAILED: [VERIFY, 'the bundle did not run or printed the wrong output in its chroot test'],
} as const;

export type ErrorCode = keyof typeof CODES;

/** Every code the CLI can report: the library's, the registry client's, and the CLI's own. */
export type ReportedCode = ErrorCode | RegistryErrorCode | 'INTERNAL' | 'INTERRUPTED' | 'TERMINATED';

export interface ErrorEntry {
  readonly exit: ExitCode;
  readonly help: string;
}

// Registry failures: the user's input (reference, credentials, missing image) is 2; the network
// or the registry failing is 1; a pushed image that is inconsistent is a verification failure.
const REGISTRY_EXIT = {
  REFERENCE_INVALID: BAD_INPUT,
  REGISTRY_UNREACHABLE: FAILED,
  REGISTRY_UNAUTHORIZED: BAD_INPUT,
  REGISTRY_DENIED: BAD_INPUT,
  REGISTRY_NOT_FOUND: BAD_INPUT,
  REGISTRY_PLATFORM_MISSING: BAD_INPUT,
  REGISTRY_RATE_LIMITED: FAILED,
  REGISTRY_UNAVAILABLE: FAILED,
  REGISTRY_REJECTED: FAILED,
  REGISTRY_PROTOCOL: FAILED,
  REGISTRY_CREDENTIALS: BAD_INPUT,
  PUSH_SOURCE_INVALID: VERIFY,
} as const satisfies Record<RegistryErrorCode, ExitCode>;

const entries = <K extends string>(table: Record<K, readonly [ExitCode, string]>) =>
  Object.fromEntries(Object.entries<readonly [ExitCode, string]>(table).map(([code, [exit, help]]) => [code, { exit, help }])) as Record<K, ErrorEntry>;

/** code → exit code → one-line help, for every code the CLI reports (generated into --help and README). */
export const ERROR_TABLE = {
  ...entries(CODES),
  ...(Object.fromEntries(Object.entries(REGISTRY_EXIT).map(([c, exit]) => [c, { exit, help: REGISTRY_ERROR_CODES[c as RegistryErrorCode] }])) as Record<RegistryErrorCode, ErrorEntry>),
  INTERNAL: { exit: FAILED, help: 'a bug in build-static (please report it with --verbose output)' },
  INTERRUPTED: { exit: EXIT.INTERRUPTED, help: 'stopped by SIGINT (Ctrl-C); every process it started was ended' },
  TERMINATED: { exit: EXIT.TERMINATED, help: 'stopped by SIGTERM; every process it started was ended' },
} satisfies Record<ReportedCode, ErrorEntry>;

/** BuildStaticError's codes with their help (kept for callers that list them). */
export const ERROR_CODES = Object.fromEntries(Object.entries(CODES).map(([c, [, help]]) => [c, help])) as Record<ErrorCode, string>;

// One error type for everything the library reports: `code` is from the closed set above,
// `message` is one line saying what is wrong and how to fix it, `detail` is optional extra text
// (a stderr tail, cargo's diagnostics) that the CLI prints below the line.
export class BuildStaticError extends Error {
  override readonly name = 'BuildStaticError';
  readonly code: ErrorCode;
  readonly detail?: string;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; detail?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.detail !== undefined) this.detail = options.detail;
  }
}

// Unlike `instanceof`, this also recognises errors from a second copy of the module.
export function isBuildStaticError(error: unknown): error is BuildStaticError {
  return error instanceof Error && error.name === 'BuildStaticError' && 'code' in error;
}

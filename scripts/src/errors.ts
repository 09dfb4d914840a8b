// The closed set of failures build-static reports. The library throws these; only the CLI turns
// them into text and exit codes (see cli/report.ts), so every failure has one wording and one code.

export const ERROR_CODES = {
  USAGE: 'a command-line flag or argument is wrong',
  CONFIG_INVALID: 'build-static configuration in Cargo.toml is wrong',
  NOT_CARGO_PROJECT: 'the directory is not a Cargo project',
  CARGO_METADATA_FAILED: 'cargo could not read the project',
  NO_BINARY_TARGET: 'the project has no binary target',
  UNKNOWN_BIN: 'the requested binary does not exist',
  UNKNOWN_PLATFORM: 'the requested platform is not supported',
  TOOLCHAIN_MISSING: 'no Rust toolchain can build for the target',
  LINKER_MISSING: 'the C compiler, linker or libraries for the target are missing',
  NATIVE_LIBRARY_MISSING: 'a crate needs a C library the target lacks',
  BUILD_FAILED: 'cargo failed',
  VERIFY_FAILED: 'a built binary is not a static executable for its platform',
  ALLOCATOR_MISMATCH: 'a built binary does not use the required allocator',
  ELF_INVALID: 'a file is not a readable ELF executable',
  OUTPUT_FAILED: 'the output directory could not be written',
  COMMAND_FAILED: 'a helper command failed',
  OCI_INVALID: 'an OCI image, layout or archive is malformed',
  OCI_IO: 'an OCI layout or archive could not be read or written',
  RECIPE_INVALID: 'a recipe file is unreadable, corrupt or made for another project',
  RECIPE_UNSUPPORTED: 'the project has a shape a recipe cannot cache (a path outside the project root)',
  LOCKFILE_MISSING: 'the project has no Cargo.lock',
  BUNDLE_INVALID: 'a bundle input or output path is unusable (not a file, symlink loop, OUT not empty, too large)',
  LIBRARY_MISSING: 'a shared library an executable needs is not on this machine',
  TOOL_MISSING: 'a helper program or system file bundle needs (strace, chroot, upx, CA certificates, tzdata) is missing here',
  BUNDLE_TEST_FAILED: 'the bundle did not run or printed the wrong output in its chroot test',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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

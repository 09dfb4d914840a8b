// Failures of the OCI image model: OCI_INVALID (bad input, corrupt or inconsistent image) and OCI_IO
// (a file could not be read or written). cli/report.ts reports them under the same codes, whose exit
// codes are in errors.ts's ERROR_TABLE; `problems` lists every finding of the validator.

/** OCI_INVALID = malformed or inconsistent image data or arguments, OCI_IO = a file system failure. */
export type OciErrorCode = 'OCI_INVALID' | 'OCI_IO';

export class OciError extends Error {
  readonly code: OciErrorCode;
  readonly problems: readonly string[];
  readonly detail?: string;

  constructor(code: OciErrorCode, message: string, options: { cause?: unknown; problems?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OciError';
    this.code = code;
    this.problems = options.problems ?? [];
    if (this.problems.length > 0) this.detail = this.problems.join('\n');
  }
}

// Type guard that also recognises an OciError from a second copy of the module.
export function isOciError(value: unknown): value is OciError {
  return value instanceof OciError || (value instanceof Error && value.name === 'OciError' && 'code' in value);
}

// One constructor for "the data is wrong" errors so messages stay uniform.
export function invalid(message: string, cause?: unknown): OciError {
  return new OciError('OCI_INVALID', message, { cause });
}

// Wraps a Node fs error into a one-line OciError naming what was being done.
export function ioError(what: string, cause: unknown): OciError {
  const text = cause instanceof Error ? cause.message : String(cause);
  return new OciError('OCI_IO', `cannot ${what}: ${text}`, { cause });
}

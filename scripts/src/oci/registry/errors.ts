// The registry client's one error type. Every failure says, in one line, which registry answered
// what while doing what, and how to fix it; the structured fields let the CLI map it to an exit
// code and let the retry loop decide whether another attempt can help (`temporary`).

export const REGISTRY_ERROR_CODES = {
  REFERENCE_INVALID: 'an image reference is malformed',
  REGISTRY_UNREACHABLE: 'the registry could not be reached (refused, reset, timed out, DNS, TLS)',
  REGISTRY_UNAUTHORIZED: 'the registry wants credentials, or rejected the ones given (401)',
  REGISTRY_DENIED: 'the credentials may not do this (403)',
  REGISTRY_NOT_FOUND: 'the repository, tag, manifest or blob does not exist (404)',
  REGISTRY_PLATFORM_MISSING: 'the image index has no manifest for the requested platform',
  REGISTRY_RATE_LIMITED: 'the registry kept answering 429 Too Many Requests',
  REGISTRY_UNAVAILABLE: 'the registry kept failing with 5xx or 408',
  REGISTRY_REJECTED: 'the registry refused the content (400, 405, 409, 413, 415)',
  REGISTRY_PROTOCOL: 'the registry answered something the distribution spec does not allow',
  REGISTRY_CREDENTIALS: 'a credentials file or credential helper could not be used',
  PUSH_SOURCE_INVALID: 'the image being pushed is inconsistent (a blob does not match its digest)',
} as const;

export type RegistryErrorCode = keyof typeof REGISTRY_ERROR_CODES;

/** One entry of the distribution spec's `{"errors":[…]}` body (BLOB_UNKNOWN, DENIED, …). */
export interface OciErrorEntry {
  readonly code: string;
  readonly message?: string;
  readonly detail?: unknown;
}

/** The parts of a message: `<head> while <action>: <what>[ after N attempts] (<hint>)`. */
export interface MessageParts {
  readonly head: string;
  readonly action?: string;
  readonly what: string;
  readonly hint?: string;
}

export interface RegistryErrorInfo {
  readonly registry?: string;
  readonly method?: string;
  /** The request URL with credentials and upload state tokens removed. */
  readonly url?: string;
  readonly status?: number;
  readonly errors?: readonly OciErrorEntry[];
  readonly temporary?: boolean;
  readonly retryAfterMs?: number;
  readonly attempts?: number;
  readonly parts?: MessageParts;
  readonly cause?: unknown;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly code: RegistryErrorCode;
  readonly registry?: string;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly errors: readonly OciErrorEntry[];
  /** True when the same request may succeed later (network errors, 408, 429, 5xx). */
  readonly temporary: boolean;
  readonly retryAfterMs?: number;
  readonly attempts: number;
  readonly parts?: MessageParts;

  constructor(code: RegistryErrorCode, message: string, info: RegistryErrorInfo = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.code = code;
    this.errors = info.errors ?? [];
    this.temporary = info.temporary ?? false;
    this.attempts = info.attempts ?? 1;
    for (const key of ['registry', 'method', 'url', 'status', 'retryAfterMs', 'parts'] as const) {
      if (info[key] !== undefined) Object.assign(this, { [key]: info[key] });
    }
  }

  /** True when the registry's body named one of these OCI error codes. */
  hasOciCode(...codes: string[]): boolean {
    return this.errors.some((e) => codes.includes(e.code));
  }

  // The same failure, reworded to say how many attempts were made before giving up.
  afterAttempts(attempts: number): RegistryError {
    if (attempts <= 1 || !this.parts) return this;
    const message = composeMessage(this.parts, attempts);
    const { registry, method, url, status, errors, temporary, retryAfterMs, parts, cause } = this;
    return new RegistryError(this.code, message, { registry, method, url, status, errors, temporary, retryAfterMs, parts, cause, attempts });
  }
}

// Builds a RegistryError whose message is composed from parts, so retries can reword it.
export function registryError(code: RegistryErrorCode, parts: MessageParts, info: RegistryErrorInfo = {}): RegistryError {
  return new RegistryError(code, composeMessage(parts, info.attempts ?? 1), { ...info, parts });
}

// One line: `<head> while <action>: <what>[ after N attempts] (<hint>)`.
export function composeMessage(parts: MessageParts, attempts = 1): string {
  const action = parts.action ? ` while ${parts.action}` : '';
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const hint = parts.hint ? ` (${parts.hint})` : '';
  return `${parts.head}${action}: ${parts.what}${tries}${hint}`.replace(/\s*\n\s*/g, ' ');
}

// Unlike `instanceof`, this also recognises errors from a second copy of the module.
export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof Error && error.name === 'RegistryError' && 'code' in error;
}

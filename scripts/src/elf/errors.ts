/** Error codes: NOT_ELF = wrong magic/empty, MALFORMED = inconsistent or truncated,
 * UNSUPPORTED = a valid ELF variant this reader does not handle, IO = the file could not be read. */
export type ElfErrorCode = 'ELF_NOT_ELF' | 'ELF_MALFORMED' | 'ELF_UNSUPPORTED' | 'ELF_IO';

export class ElfError extends Error {
  readonly code: ElfErrorCode;

  constructor(code: ElfErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ElfError';
    this.code = code;
  }
}

// Type guard so callers can branch on ElfError without instanceof across realms/bundles.
export function isElfError(value: unknown): value is ElfError {
  return value instanceof ElfError || (value instanceof Error && value.name === 'ElfError' && 'code' in value);
}

// Offsets in messages are printed in hex, like readelf does, so users can cross-check them.
export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

// One place builds every "data is inconsistent" error so messages stay uniform.
export function malformed(message: string): ElfError {
  return new ElfError('ELF_MALFORMED', message);
}

// A named region [offset, offset+size) must lie inside the file; the message names the region.
export function checkRange(fileSize: number, offset: number, size: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0) {
    throw malformed(`malformed ELF: ${what} has an impossible offset/size (${offset}, ${size})`);
  }
  if (offset > fileSize || size > fileSize - offset) {
    throw malformed(
      `truncated ELF: ${what} at offset ${hex(offset)} (${size} bytes) runs past the end of the file (size ${fileSize})`,
    );
  }
}

import { readFile, stat } from 'node:fs/promises';
import { parseElf, type Elf } from './elf.ts';
import { ElfError, isElfError } from './errors.ts';

// Turns a Node fs error into a one-line ElfError that names the path and the actual problem.
function ioError(path: string, e: unknown): ElfError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT' ? 'does not exist'
    : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)'
    : code === 'EISDIR' ? 'is a directory, not an executable'
    : code === 'ENOTDIR' ? 'does not exist (a parent path is not a directory)'
    : `cannot be read (${e instanceof Error ? e.message : String(e)})`;
  return new ElfError('ELF_IO', `${path} ${why}`, { cause: e });
}

// Reads and parses one file. The only file I/O in the ELF reader; errors name the path.
export async function readElfFile(path: string): Promise<{ bytes: Uint8Array; elf: Elf }> {
  let buf: Uint8Array;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new ElfError('ELF_IO', `${path} is not a regular file`);
    buf = await readFile(path);
  } catch (e) {
    throw isElfError(e) ? e : ioError(path, e);
  }
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  try {
    return { bytes, elf: parseElf(bytes) };
  } catch (e) {
    if (isElfError(e)) throw new ElfError(e.code, `${path}: ${e.message}`, { cause: e });
    throw e;
  }
}

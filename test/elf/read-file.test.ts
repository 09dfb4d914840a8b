import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElfError, readElfFile } from '../../scripts/src/elf/index.ts';
import { buildFixtures, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
let scratch: string;
beforeAll(() => {
  fx = buildFixtures(['musl-static']);
  scratch = mkdtempSync(join(tmpdir(), 'bs-elf-read-'));
});
afterAll(() => {
  fx?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// Resolves to the ElfError a promise rejects with, failing the test if it resolves or throws something else.
async function rejection(p: Promise<unknown>): Promise<ElfError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ElfError);
  return e as ElfError;
}

describe('readElfFile', () => {
  it('returns the bytes as a plain Uint8Array together with the parsed ELF', async () => {
    const { bytes, elf } = await readElfFile(fx.path('musl-static'));
    expect(bytes.constructor).toBe(Uint8Array);
    expect(elf.machineName).toBe('x86_64');
    expect(bytes.byteLength).toBe(elf.fileSize);
  });

  it('a directory is reported as such', async () => {
    const e = await rejection(readElfFile(scratch));
    expect(e.code).toBe('ELF_IO');
    expect(e.message).toBe(`${scratch} is a directory, not an executable`);
  });

  it('a missing file names the path', async () => {
    const e = await rejection(readElfFile(join(scratch, 'nope')));
    expect(e.message).toBe(`${join(scratch, 'nope')} does not exist`);
  });

  it('an empty file is not an ELF file', async () => {
    const p = join(scratch, 'empty');
    writeFileSync(p, '');
    const e = await rejection(readElfFile(p));
    expect(e.code).toBe('ELF_NOT_ELF');
    expect(e.message).toBe(`${p}: not an ELF file (empty file)`);
  });

  it('a script is not an ELF file, and the message shows its magic bytes', async () => {
    const p = join(scratch, 'script.sh');
    writeFileSync(p, '#!/bin/sh\necho hi\n');
    const e = await rejection(readElfFile(p));
    expect(e.code).toBe('ELF_NOT_ELF');
    expect(e.message).toBe(`${p}: not an ELF file (bad magic 23 21 2f 62)`);
  });

  it('an unreadable file says permission denied (skipped in effect when running as root)', async () => {
    const p = join(scratch, 'secret');
    writeFileSync(p, 'x');
    chmodSync(p, 0o000);
    const result = await readElfFile(p).then(() => undefined, (err: unknown) => err as ElfError);
    // root can read anything; then the file is simply not an ELF.
    expect(result?.message).toMatch(/permission denied|not an ELF file/);
  });
});

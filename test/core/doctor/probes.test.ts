// The compile probe on this machine's real compilers, and the stderr classifier that decides
// whether a failed compile means "install the libc -dev package".
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { missingLibcFiles, probeCompiler } from '../../../scripts/src/core/doctor/probes.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';

describe('probeCompiler', () => {
  test.each([
    ['linux/amd64', 'x86_64-linux-gnu-gcc', 'x86_64 dynamic executable'],
    ['linux/arm64', 'aarch64-linux-gnu-gcc', 'aarch64 dynamic executable'],
  ])('%s: %s compiles and links a C program with libc headers', async (platform, gcc, detail) => {
    const outcome = await probeCompiler(gcc, parsePlatform(platform), [], false);
    expect(outcome, outcome.stderr).toMatchObject({ ok: true, detail });
  });

  test('a compiler for the wrong machine is caught by reading the ELF', async () => {
    const outcome = await probeCompiler('x86_64-linux-gnu-gcc', parsePlatform('linux/arm64'), [], false);
    expect(outcome).toMatchObject({ ok: false, detail: 'produced x86_64, expected aarch64' });
  });

  test('a static probe that comes out dynamic fails', async () => {
    const outcome = await probeCompiler('x86_64-linux-gnu-gcc', parsePlatform('linux/amd64'), [], true);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/^produced a dynamic executable/);
  });

  test('without libc headers (only gcc\'s own, as on a machine lacking libc6-dev-arm64-cross) the missing header is named', async () => {
    const gccInclude = execFileSync('aarch64-linux-gnu-gcc', ['-print-file-name=include'], { encoding: 'utf8' }).trim();
    const outcome = await probeCompiler('aarch64-linux-gnu-gcc', parsePlatform('linux/arm64'), ['-nostdinc', '-isystem', gccInclude], false);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/stdio\.h: No such file or directory/);
    expect(missingLibcFiles(outcome.stderr ?? '')).toBe(true);
  });
});

describe('missingLibcFiles', () => {
  test.each([
    ['/usr/aarch64-linux-gnu/include/stdio.h:27:10: fatal error: bits/libc-header-start.h: No such file or directory', true],
    ['probe.c:1:10: fatal error: stdio.h: No such file or directory', true],
    ['/usr/bin/aarch64-linux-gnu-ld: cannot find crt1.o: No such file or directory', true],
    ['/usr/bin/ld: cannot find -lc: No such file or directory', true],
    ['collect2: fatal error: cannot find \'ld\'', false],
    ['probe.c:3:1: error: expected identifier', false],
  ])('%s → %s', (stderr, expected) => {
    expect(missingLibcFiles(stderr)).toBe(expected);
  });
});

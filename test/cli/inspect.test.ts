// `build-static inspect` as a user runs it: exit codes for --require, JSON, and bad files.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.ts';

let dir = '';
let glibc = '';
let musl = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bs-inspect-'));
  await writeFile(join(dir, 'm.c'), '#include <stdio.h>\n#ifdef __GLIBC__\n#include <malloc.h>\n#endif\nint main(void) {\n#ifdef __GLIBC__\n  mallopt(M_MMAP_THRESHOLD, 65536);\n#endif\n  puts("ok");\n  return 0;\n}\n');
  glibc = join(dir, 'm-glibc');
  musl = join(dir, 'm-musl');
  execFileSync('gcc', ['-O2', '-o', glibc, join(dir, 'm.c')]);
  execFileSync('musl-gcc', ['-static', '-O2', '-o', musl, join(dir, 'm.c')]);
});

test('--require alpine: exit 4 for the glibc mallopt build, naming the reason; 0 for the musl static build', async () => {
  const bad = await runCli(['inspect', glibc, '--require', 'alpine']);
  expect(bad.code).toBe(4);
  expect(bad.stdout).toMatch(/alpine\+libc6-compat: symbol not found: mallopt/);
  expect(bad.stderr).toMatch(/does not meet --require alpine/);
  const good = await runCli(['inspect', musl, '--require', 'alpine']);
  expect(good.code, good.stderr).toBe(0);
});

test('--json is one array with verdicts', async () => {
  const r = await runCli(['inspect', glibc, musl, '--json']);
  expect(r.code).toBe(0);
  const reports = JSON.parse(r.stdout) as Array<{ linkage: string; glibcOnlySymbols: Array<{ symbol: string }> }>;
  expect(reports.map((x) => x.linkage)).toEqual(['dynamic', 'static']);
  expect(reports[0]!.glibcOnlySymbols.map((g) => g.symbol)).toEqual(['mallopt']);
});

test.each([
  ['a non-ELF file', async () => { const p = join(dir, 'text'); await writeFile(p, 'hello, not an executable\n'); return p; }, /not an ELF file/],
  ['a truncated ELF', async () => { const p = join(dir, 'trunc'); await writeFile(p, (await readFile(glibc)).subarray(0, 100)); return p; }, /truncated ELF/],
  ['a directory', async () => dir, /is a directory, not an executable/],
  ['a missing file', async () => join(dir, 'nope'), /does not exist/],
])('%s: one line, exit 2', async (_what, make, message) => {
  const r = await runCli(['inspect', await make()]);
  expect(r.code).toBe(2);
  expect(errorLines(r.stderr)).toEqual([expect.stringMatching(message)]);
});

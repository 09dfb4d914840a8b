// `build-static doctor` as users run it: on this machine (everything present), and with pieces
// taken away by fault injection — a PATH without the arm64 cross gcc, and a fake arm64 gcc that
// cannot find libc headers (what a machine without libc6-dev-arm64-cross has).
import { mkdtemp, readdir, symlink, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';

interface Check { id: string; ok: boolean; required: boolean; detail: string; fix?: string }

// A PATH directory holding every program of the current PATH except those `drop` matches.
async function pathWithout(drop: RegExp): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-doctor-path-'));
  const seen = new Set<string>();
  for (const from of (process.env.PATH ?? '').split(':')) {
    if (!from || !existsSync(from)) continue;
    for (const name of await readdir(from)) {
      if (drop.test(name) || seen.has(name)) continue;
      seen.add(name);
      await symlink(join(from, name), join(dir, name));
    }
  }
  return dir;
}

describe('doctor', () => {
  test('this machine: every required check passes and a Rust hello builds and runs for both platforms', async () => {
    const result = await runCli(['doctor', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.required && !c.ok)).toEqual([]);
    for (const arch of ['amd64', 'arm64']) {
      for (const id of ['std', 'gcc', 'libc-dev', 'musl', 'musl-cc', 'hello']) expect(report.checks.map((c) => c.id)).toContain(`${id}:${arch}`);
      expect(report.checks.find((c) => c.id === `hello:${arch}`)?.detail).toMatch(/^static(-pie)?, .*; ran$/);
    }
  });

  test('without the arm64 cross gcc: exit 3 and the package to install, the rest still checked', async () => {
    const path = await pathWithout(/^aarch64-linux-gnu-gcc/);
    const result = await runCli(['doctor'], { env: { ...process.env, PATH: path } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('FAIL [linux/arm64] C compiler aarch64-linux-gnu-gcc: not on PATH');
    expect(result.stderr).toContain('fix: apt-get update && apt-get install -y gcc-aarch64-linux-gnu');
    expect(result.stderr).toMatch(/^ok {3}\[linux\/amd64\] static C with musl/m);
    expect(result.stderr).not.toContain('Rust hello');
    expect(result.stdout.trim()).toBe('doctor: 1 required piece is missing');
  });

  test('an arm64 gcc without libc headers: the libc6-dev-arm64-cross fix is named', async () => {
    const path = await pathWithout(/^aarch64-linux-gnu-gcc/);
    const gccInclude = execFileSync('aarch64-linux-gnu-gcc', ['-print-file-name=include'], { encoding: 'utf8' }).trim();
    // Fault injection: the real cross gcc, told to see only its own headers (no glibc ones).
    const fake = join(path, 'aarch64-linux-gnu-gcc');
    await writeFile(fake, `#!/bin/sh\n# fake for fault injection: no libc headers\nexec /usr/bin/aarch64-linux-gnu-gcc -nostdinc -isystem ${gccInclude} "$@"\n`);
    await chmod(fake, 0o755);
    const result = await runCli(['doctor', '--json', '--platform', 'linux/arm64', '--quick'], { env: { ...process.env, PATH: path } });
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
    const libc = report.checks.find((c) => c.id === 'libc-dev:arm64');
    expect(libc).toMatchObject({ ok: false, required: true, fix: 'apt-get update && apt-get install -y libc6-dev-arm64-cross' });
    expect(libc?.detail).toMatch(/stdio\.h: No such file or directory/);
  });

  test.each([
    [['doctor', '--platform', 'linux/s390x'], /unknown platform "linux\/s390x"/],
    [['doctor', '--frobnicate'], /unknown option '--frobnicate'/],
  ])('bad input %j exits 2 with one line', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

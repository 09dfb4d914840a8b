// The image's POSIX sh helpers, run with sh on this machine: target-triple's platform table, and
// get-executable's lookup, verification and copy (missing binary, wrong architecture, profiles).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildFixtures, type Fixtures } from '../../elf/fixtures.ts';
import { buildVerifyStatic, helperBin } from './tools.ts';

let bin: string;
let fx: Fixtures;
let work: string;
beforeAll(() => {
  bin = helperBin(buildVerifyStatic());
  fx = buildFixtures(['musl-static', 'aarch64-musl-static', 'gnu-dynamic']);
  work = mkdtempSync(join(tmpdir(), 'bs-get-executable-'));
}, 600_000);
afterAll(() => {
  fx?.cleanup();
  for (const d of [bin, work]) if (d) rmSync(d, { recursive: true, force: true });
});

// Runs a helper with sh in `cwd`, with only the variables given (plus PATH).
function sh(script: string, args: string[], env: Record<string, string> = {}, cwd = work) {
  const r = spawnSync('sh', [join(bin, script), ...args], { cwd, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('target-triple', () => {
  test.each([
    ['linux/amd64', 'x86_64-unknown-linux-musl'],
    ['linux/arm64', 'aarch64-unknown-linux-musl'],
    ['linux/arm64/v8', 'aarch64-unknown-linux-musl'],
    ['amd64', 'x86_64-unknown-linux-musl'],
    ['arm64', 'aarch64-unknown-linux-musl'],
    ['x86_64', 'x86_64-unknown-linux-musl'],
    ['aarch64', 'aarch64-unknown-linux-musl'],
  ])('%s → %s (argument and $TARGETPLATFORM)', (platform, triple) => {
    expect(sh('target-triple', [platform])).toEqual({ code: 0, stdout: `${triple}\n`, stderr: '' });
    expect(sh('target-triple', [], { TARGETPLATFORM: platform })).toEqual({ code: 0, stdout: `${triple}\n`, stderr: '' });
  });

  test.each([
    [['linux/riscv64'], {}, 'target-triple: unknown platform "linux/riscv64": supported are linux/amd64 and linux/arm64'],
    [['windows/amd64'], {}, 'target-triple: unknown platform "windows/amd64": supported are linux/amd64 and linux/arm64'],
    [[], {}, 'target-triple: no platform given and TARGETPLATFORM is not set (pass linux/amd64 or linux/arm64, or declare ARG TARGETPLATFORM)'],
    [[], { TARGETPLATFORM: '' }, 'target-triple: no platform given and TARGETPLATFORM is not set (pass linux/amd64 or linux/arm64, or declare ARG TARGETPLATFORM)'],
    [[''], { TARGETPLATFORM: 'linux/amd64' }, 'target-triple: no platform given and TARGETPLATFORM is not set (pass linux/amd64 or linux/arm64, or declare ARG TARGETPLATFORM)'],
    [['a', 'b'], {}, 'target-triple: expected at most one PLATFORM, got 2'],
  ])('%j with %j → exit 2 and one line', (args, env, line) => {
    expect(sh('target-triple', args, env)).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });
});

describe('get-executable', () => {
  // Places a fixture where cargo would put binary NAME for the triple and profile directory.
  function place(fixture: 'musl-static' | 'aarch64-musl-static' | 'gnu-dynamic', triple: string, dir: string, name: string, targetDir = join(work, 'target')) {
    mkdirSync(join(targetDir, triple, dir), { recursive: true });
    copyFileSync(fx.path(fixture), join(targetDir, triple, dir, name));
  }

  test('copies a static binary for $TARGETPLATFORM to DEST, creating directories', () => {
    place('aarch64-musl-static', 'aarch64-unknown-linux-musl', 'release', 'server');
    const dest = join(work, 'out', 'nested', 'server');
    const r = sh('get-executable', ['server', dest], { TARGETPLATFORM: 'linux/arm64' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('target/aarch64-unknown-linux-musl/release/server: static aarch64\n');
    expect(r.stderr).toBe(`get-executable: target/aarch64-unknown-linux-musl/release/server → ${dest}\n`);
    expect(statSync(dest).mode & 0o777).toBe(0o755);
    expect(statSync(dest).size).toBe(statSync(fx.path('aarch64-musl-static')).size);
  });

  test('DEST an existing directory or ending in / → DEST/NAME', () => {
    place('musl-static', 'x86_64-unknown-linux-musl', 'release', 'tool');
    mkdirSync(join(work, 'bin-dir'));
    expect(sh('get-executable', ['tool', join(work, 'bin-dir')], { TARGETPLATFORM: 'linux/amd64' }).code).toBe(0);
    expect(sh('get-executable', ['tool', `${join(work, 'new-dir')}/`], { TARGETPLATFORM: 'linux/amd64' }).code).toBe(0);
    expect([existsSync(join(work, 'bin-dir', 'tool')), existsSync(join(work, 'new-dir', 'tool'))]).toEqual([true, true]);
  });

  test('--profile dev reads target/<triple>/debug; a custom profile its own directory; CARGO_TARGET_DIR is honoured', () => {
    place('musl-static', 'x86_64-unknown-linux-musl', 'debug', 'app');
    expect(sh('get-executable', ['app', join(work, 'o1'), '--profile', 'dev'], { TARGETPLATFORM: 'linux/amd64' }).code).toBe(0);
    place('musl-static', 'x86_64-unknown-linux-musl', 'release-lto', 'app', join(work, 'cache-mount'));
    const r = sh('get-executable', ['--profile=release-lto', 'app', join(work, 'o2')], { TARGETPLATFORM: 'amd64', CARGO_TARGET_DIR: join(work, 'cache-mount') });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(work, 'o2'))).toBe(true);
  });

  test('a missing binary: one line naming the path looked for, exit 2', () => {
    const r = sh('get-executable', ['nosuch', join(work, 'o3')], { TARGETPLATFORM: 'linux/arm64' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^get-executable: no target\/aarch64-unknown-linux-musl\/release\/nosuch \(looked for binary "nosuch" built with --target aarch64-unknown-linux-musl --profile release;/)]);
    expect(existsSync(join(work, 'o3'))).toBe(false);
  });

  test('the wrong architecture fails verification (exit 4) and copies nothing', () => {
    place('aarch64-musl-static', 'x86_64-unknown-linux-musl', 'release', 'mixed');
    const r = sh('get-executable', ['mixed', join(work, 'o4')], { TARGETPLATFORM: 'linux/amd64' });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('target/x86_64-unknown-linux-musl/release/mixed: not static: machine is aarch64, expected x86_64 for linux/amd64\n');
    expect(existsSync(join(work, 'o4'))).toBe(false);
  });

  test('a dynamic binary fails verification (exit 4)', () => {
    place('gnu-dynamic', 'x86_64-unknown-linux-musl', 'release', 'dyn');
    const r = sh('get-executable', ['dyn', join(work, 'o5')], { TARGETPLATFORM: 'linux/amd64' });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/: not static: has a dynamic loader/);
    expect(existsSync(join(work, 'o5'))).toBe(false);
  });

  test.each([
    [['server'], { TARGETPLATFORM: 'linux/arm64' }, /^get-executable: NAME and DEST are required/],
    [['a', 'b', 'c'], { TARGETPLATFORM: 'linux/arm64' }, /^get-executable: unexpected argument c/],
    [['a', 'b', '--profile'], { TARGETPLATFORM: 'linux/arm64' }, /^get-executable: --profile needs a value/],
    [['a', 'b', '--strip'], { TARGETPLATFORM: 'linux/arm64' }, /^get-executable: unknown option --strip/],
    [['server', 'out'], {}, /^target-triple: no platform given and TARGETPLATFORM is not set/],
  ])('%j with %j → exit 2, one line', (args, env, line) => {
    const r = sh('get-executable', args, env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
  });
});

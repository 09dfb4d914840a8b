// verify-static (the image's dependency-free Rust ELF checker) must give the same verdict as
// build-static's own verification (core/build/verify.ts over scripts/src/elf) on real binaries:
// static, static-pie, dynamic glibc and musl, wrong machine, shared libraries, ELF32, non-ELF.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyExecutable } from '../../../scripts/src/core/build/verify.ts';
import { PLATFORMS } from '../../../scripts/src/core/platform.ts';
import { classifyLinkage, glibcVersionNeeds, parseElf } from '../../../scripts/src/elf/index.ts';
import { HELLO } from '../../elf/fixture-sources.ts';
import { buildFixtures, type FixtureName, type Fixtures } from '../../elf/fixtures.ts';
import { buildVerifyStatic, IMAGE_DIR } from './tools.ts';

const FIXTURES: FixtureName[] = [
  'gnu-dynamic', 'gnu-dynamic-stripped', 'glibc-static', 'glibc-static-stripped', 'musl-static', 'musl-static-stripped',
  'musl-static-pie', 'musl-threads-static', 'aarch64-gnu-dynamic', 'aarch64-musl-static', 'aarch64-musl-static-stripped',
  'glibc-mallopt', 'rpath', 'runpath', 'shared-lib', 'jemalloc-dynamic', 'i386-static', 'i386-shared', 'rust-threads-stripped',
];

let fx: Fixtures;
let verifyStatic: string;
let extra: string;
const files: Record<string, string> = {};

beforeAll(() => {
  verifyStatic = buildVerifyStatic();
  fx = buildFixtures(FIXTURES);
  for (const name of FIXTURES) files[name] = fx.path(name);
  extra = mkdtempSync(join(tmpdir(), 'bs-verify-static-'));
  // Not among the shared ELF fixtures: a dynamically linked musl executable (PT_INTERP ld-musl).
  writeFileSync(join(extra, 'hello.c'), HELLO);
  execFileSync('musl-gcc', ['-O2', '-o', join(extra, 'musl-dynamic'), join(extra, 'hello.c')]);
  files['musl-dynamic'] = join(extra, 'musl-dynamic');
  // A PIE with DT_NEEDED but no PT_INTERP: only the DT_NEEDED check can catch it.
  execFileSync('gcc', ['-O2', '-Wl,--no-dynamic-linker', '-o', join(extra, 'needed-no-interp'), join(extra, 'hello.c')]);
  files['needed-no-interp'] = join(extra, 'needed-no-interp');
  files['shell-script'] = join(extra, 'shell-script');
  writeFileSync(files['shell-script'], '#!/bin/sh\necho hi\n');
  files.empty = join(extra, 'empty');
  writeFileSync(files.empty, '');
  files['truncated-static'] = join(extra, 'truncated-static');
  writeFileSync(files['truncated-static'], fx.bytes('musl-static').subarray(0, 3000));
}, 600_000);
afterAll(() => {
  fx?.cleanup();
  if (extra) rmSync(extra, { recursive: true, force: true });
});

function runVerify(args: string[]) {
  const r = spawnSync(verifyStatic, args, { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// build-static's verdict for a file, with or without an expected platform; the machine name on success.
function expected(file: string, platformId?: string): { ok: boolean; machine?: string } {
  const bytes = new Uint8Array(execFileSync('cat', [file]));
  const platform = PLATFORMS.find((p) => p.id === platformId);
  try {
    if (platform) return { ok: true, machine: verifyExecutable(bytes, platform, 'x').machine };
    const elf = parseElf(bytes);
    const ok = (elf.type === 'EXEC' || elf.type === 'DYN') && classifyLinkage(elf).kind !== 'dynamic' && glibcVersionNeeds(elf).length === 0;
    return ok ? { ok, machine: elf.machineName } : { ok };
  } catch {
    return { ok: false };
  }
}

const NAMES = () => Object.keys(files);

describe('the same verdict as build-static', () => {
  test('on every fixture, without and with each platform', () => {
    expect(NAMES().length).toBeGreaterThanOrEqual(FIXTURES.length + 5);
    const passed: string[] = [];
    for (const name of NAMES()) {
      for (const platform of [undefined, 'linux/amd64', 'linux/arm64']) {
        const want = expected(files[name]!, platform);
        const r = runVerify([...(platform ? ['--platform', platform] : []), files[name]!]);
        const where = `${name} ${platform ?? '(any platform)'}: ${r.stdout}${r.stderr}`;
        expect(r.code, where).toBe(want.ok ? 0 : 4);
        expect(r.stderr, where).toBe('');
        expect(r.stdout.split('\n').filter(Boolean), where).toHaveLength(1);
        if (want.ok) {
          expect(r.stdout, where).toMatch(new RegExp(`^${files[name]}: static ${want.machine}( \\(static-pie\\))?\\n$`));
          if (!platform) passed.push(name);
        } else {
          expect(r.stdout, where).toMatch(new RegExp(`^${files[name]}: not static: \\S`));
        }
      }
    }
    // The table really has both outcomes (and the known static kinds pass).
    expect(passed).toEqual(expect.arrayContaining(['musl-static', 'musl-static-pie', 'aarch64-musl-static', 'glibc-static', 'i386-static']));
    expect(NAMES().filter((n) => !passed.includes(n))).toEqual(expect.arrayContaining(['gnu-dynamic', 'musl-dynamic', 'needed-no-interp', 'shared-lib', 'shell-script', 'empty', 'truncated-static']));
  });

  test.each([
    ['gnu-dynamic', /has a dynamic loader \(PT_INTERP \/lib64\/ld-linux-x86-64\.so\.2\); needs shared libraries \(DT_NEEDED libc\.so\.6\); needs glibc symbol versions GLIBC_/],
    ['musl-dynamic', /has a dynamic loader \(PT_INTERP \/lib\/ld-musl-x86_64\.so\.1\); needs shared libraries \(DT_NEEDED libc\.so\)$/],
    ['needed-no-interp', /^needs shared libraries \(DT_NEEDED libc\.so\.6\); needs glibc symbol versions GLIBC_2\.2\.5, GLIBC_2\.\d+$/],
    ['shared-lib', /a shared library \(ET_DYN without PIE\), not an executable/],
    ['shell-script', /^not an ELF file \(bad magic 23 21 2f 62\)$/],
    ['empty', /^not an ELF file \(empty file\)$/],
    ['truncated-static', /^truncated ELF: /],
  ])('%s: the reason names the problem', (name, reason) => {
    const r = runVerify([files[name]!]);
    expect(r.code).toBe(4);
    expect(r.stdout.trim().slice(`${files[name]}: not static: `.length)).toMatch(reason);
  });

  test('wrong machine for the platform', () => {
    const r = runVerify(['--platform', 'linux/amd64', files['aarch64-musl-static']!]);
    expect(r).toEqual({ code: 4, stderr: '', stdout: `${files['aarch64-musl-static']}: not static: machine is aarch64, expected x86_64 for linux/amd64\n` });
    expect(runVerify(['--platform=arm64', files['aarch64-musl-static']!]).code).toBe(0);
  });
});

describe('usage', () => {
  test('several files: one line each, exit 4 when any fails', () => {
    const r = runVerify([files['musl-static']!, files['gnu-dynamic']!, files['musl-static-pie']!]);
    expect(r.code).toBe(4);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split(': ')[1])).toEqual(['static x86_64', 'not static', 'static x86_64 (static-pie)']);
    expect(runVerify([files['musl-static']!, files['musl-static-pie']!]).code).toBe(0);
  });

  test.each([
    [[], /^verify-static: no FILE given/],
    [['--platform'], /^verify-static: --platform needs a value/],
    [['--platform', 'linux/riscv64', '/bin/true'], /^verify-static: unknown platform "linux\/riscv64"/],
    [['--frobnicate', '/bin/true'], /^verify-static: unknown option --frobnicate/],
    [['/bin/true', '/nonexistent/file'], /^verify-static: cannot read \/nonexistent\/file: /],
  ])('%j → exit 2, one line, no verdicts', (args, message) => {
    const r = runVerify(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  test('--help', () => {
    const r = runVerify(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: verify-static \[--platform PLATFORM\] FILE\.\.\./);
  });
});

test("the crate's own cargo tests pass", () => {
  const out = execFileSync('cargo', ['test', '--locked', '--offline', '--manifest-path', join(IMAGE_DIR, 'verify-static', 'Cargo.toml'), '--target-dir', join(verifyStatic, '..', '..')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = /test result: ok\. (\d+) passed; 0 failed/.exec(out);
  expect(m, out).not.toBeNull();
  expect(Number(m![1])).toBeGreaterThanOrEqual(7);
}, 300_000);

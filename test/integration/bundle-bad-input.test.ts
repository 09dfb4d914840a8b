// Bad input to `bundle`: one clear error line and a non-zero exit, and nothing written to OUT.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'bs-bundle-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data, { mode: 0o755 });
  return p;
};
// jq with its DT_NEEDED "libjq.so.1" renamed (same length) to a library nobody has.
const missingLib = () => {
  const bytes = readFileSync('/usr/bin/jq');
  const at = bytes.indexOf('libjq.so.1');
  bytes.write('libzq.so.1', at);
  return file('needs-missing', bytes);
};
const loop = () => {
  symlinkSync('loop-b', join(dir, 'loop-a'));
  symlinkSync('loop-a', join(dir, 'loop-b'));
  return join(dir, 'loop-a');
};

const CASES: Array<{ name: string; input: () => string; code: number; message: RegExp }> = [
  { name: 'a non-ELF file', input: () => file('script.sh', '#!/bin/sh\necho hi\n'), code: 2, message: /script\.sh: not an ELF file/ },
  { name: 'a truncated ELF', input: () => file('truncated', readFileSync('/usr/bin/jq').subarray(0, 2000)), code: 2, message: /truncated.*truncated ELF/ },
  { name: 'a directory', input: () => dir, code: 2, message: /is a directory, not an executable/ },
  { name: 'a missing library', input: missingLib, code: 3, message: /needs-missing needs libzq\.so\.1, which is not in .*install it or set LD_LIBRARY_PATH/ },
  { name: 'a symlink loop', input: loop, code: 2, message: /loop-a is a symlink loop/ },
  { name: 'a missing file', input: () => join(dir, 'absent'), code: 2, message: /absent does not exist/ },
];

describe('bundle bad input', () => {
  for (const c of CASES) {
    test(`${c.name}: one line, exit ${c.code}, no OUT`, async () => {
      const out = join(dir, `out-${c.name.replace(/\W+/g, '-')}`);
      const r = await runCli(['bundle', c.input(), out]);
      expect(errorLines(r.stderr)).toHaveLength(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(errorLines(r.stderr)[0]).toMatch(c.message);
      expect(r.code).toBe(c.code);
      expect(existsSync(out)).toBe(false);
    });
  }

  test('a non-empty OUT is refused unless --force, and kept intact', async () => {
    const out = join(dir, 'full');
    mkdirSync(out);
    writeFileSync(join(out, 'precious'), 'x');
    const r = await runCli(['bundle', '/usr/bin/jq', out]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)[0]).toMatch(/full is not empty: .*--force/);
    expect(readFileSync(join(out, 'precious'), 'utf8')).toBe('x');
    const forced = await runCli(['bundle', '/usr/bin/jq', out, '--force']);
    expect(forced.code).toBe(0);
    expect(existsSync(join(out, 'precious'))).toBe(false);
    expect(existsSync(join(out, 'usr/bin/jq'))).toBe(true);
  });

  test('the size cap, usage errors and --compress without upx are one line each', async () => {
    const capped = await runCli(['bundle', '/usr/bin/jq', join(dir, 'capped'), '--max-size', '1000']);
    expect(capped.code).toBe(2);
    expect(errorLines(capped.stderr)[0]).toMatch(/over the 1000-byte cap/);
    const usage = await runCli(['bundle', '/usr/bin/jq']);
    expect(usage.code).toBe(2);
    expect(errorLines(usage.stderr)[0]).toMatch(/EXE… OUT/);
    const upx = await runCli(['bundle', '/usr/bin/jq', join(dir, 'upx'), '--compress'], { env: { ...process.env, PATH: '/usr/bin:/bin' } });
    expect(upx.code).toBe(3);
    expect(errorLines(upx.stderr)).toEqual([expect.stringMatching(/--compress needs upx on PATH/)]);
    expect(existsSync(join(dir, 'upx'))).toBe(false);
  });

  test('--install-to places the executable; --mkdir and --exclude shape the tree', async () => {
    const out = join(dir, 'shaped');
    const r = await runCli(['bundle', '/usr/bin/jq', out, '--install-to', '/app/jq', '--mkdir', '/tmp', '--exclude', '/usr/lib/x86_64-linux-gnu/libm.so*', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).excluded).toEqual(['/usr/lib/x86_64-linux-gnu/libm.so.6']);
    expect(existsSync(join(out, 'app/jq'))).toBe(true);
    expect(existsSync(join(out, 'tmp'))).toBe(true);
    expect(existsSync(join(out, 'usr/bin/jq'))).toBe(false);
  });
});

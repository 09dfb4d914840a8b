// Proof on real Debian programs: bundle jq, getent (--nss), sqlite3 and python3 (--dynamic), run
// each in a chroot of the bundle (--test with asserted stdout) and as a scratch image in podman.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';

// chroot needs root and the image half needs podman: both are set up by ./setup.sh on CI. Without
// them this file fails loudly (a skipped proof must not count as a pass).
if (process.getuid?.() !== 0) throw new Error('bundle proofs need root (chroot): run the tests as root, as CI does');
try {
  execFileSync('podman', ['--version']);
} catch {
  throw new Error('bundle proofs need podman on PATH: run ./setup.sh');
}
const work = mkdtempSync(join(tmpdir(), 'bs-bundle-it-'));
const loaded: string[] = [];
afterAll(() => {
  for (const ref of loaded) {
    try {
      execFileSync('podman', ['rmi', '-f', ref], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
});

const PY = `import json,sys; print(json.dumps({"ok": sys.version_info[0]}))`;
const CASES = [
  { name: 'jq', exe: '/usr/bin/jq', flags: [], test: 'jq -c .a', stdin: '{"a":[1,2]}', expect: '[1,2]', run: ['-c', '.a'] },
  { name: 'getent', exe: '/usr/bin/getent', flags: ['--nss'], test: 'getent hosts localhost', expect: /^(127\.0\.0\.1|::1)\s+localhost/, run: ['hosts', 'localhost'] },
  { name: 'sqlite3', exe: '/usr/bin/sqlite3', flags: [], test: `sqlite3 :memory: 'select 6*7;'`, expect: '42', run: [':memory:', 'select 6*7;'] },
  { name: 'python3', exe: '/usr/bin/python3', flags: ['--dynamic', '--dynamic-arg=-c', `--dynamic-arg=${PY}`], test: `python3 -c '${PY}'`, expect: '{"ok": 3}', run: ['-c', PY] },
] as const;

describe('bundle runs real programs in a chroot and FROM scratch', () => {
  for (const c of CASES) {
    test(`${c.name}: chroot --test and podman run`, async () => {
      const out = join(work, c.name);
      const ref = `localhost/build-static-bundle-${c.name}:test`;
      const args = ['bundle', c.exe, out, ...c.flags, '--test', '--test-command', c.test, ...('stdin' in c ? ['--test-stdin', c.stdin] : []),
        ...(typeof c.expect === 'string' ? ['--test-stdout', c.expect] : []), '--image', ref, '--load', '--json'];
      const r = await runCli(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.testOutput.trim()).toMatch(typeof c.expect === 'string' ? new RegExp(`^${c.expect.replace(/[[\]{}.*]/g, '\\$&')}$`) : c.expect);
      expect(result.libraries).toContain('/lib64/ld-linux-x86-64.so.2');
      if (c.name === 'getent') expect(result.libraries).toContain('/lib/x86_64-linux-gnu/libnss_files.so.2');
      if (c.name === 'python3') expect(result.traced).toBeGreaterThan(10);
      loaded.push(ref);
      const stdout = execFileSync('podman', ['run', '--rm', '-i', '--network', 'none', ref, ...c.run], { input: 'stdin' in c ? c.stdin : '', encoding: 'utf8' });
      expect(stdout.trim()).toMatch(typeof c.expect === 'string' ? new RegExp(`^${c.expect.replace(/[[\]{}.*]/g, '\\$&')}$`) : c.expect);
    }, 180_000);
  }

  test('an --oci-layout of the bundle validates and --test-stdout mismatches fail with exit 4', async () => {
    const layout = join(work, 'jq.oci');
    const ok = await runCli(['bundle', '/usr/bin/jq', join(work, 'jq2'), '--image', 'example.com/jq:1', '--oci-layout', layout]);
    expect(ok.code).toBe(0);
    const { validateLayout } = await import('../../scripts/src/oci/index.ts');
    await expect(validateLayout(layout, 'example.com/jq:1')).resolves.toBeUndefined();
    const bad = await runCli(['bundle', '/usr/bin/jq', join(work, 'jq3'), '--test', '--test-command', 'jq -n 1', '--test-stdout', '2']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/printed "1", expected "2"/);
  }, 120_000);
});

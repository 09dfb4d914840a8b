// Proof that `bundle --preload` really puts mimalloc under a dynamic program: the probe (a
// multi-threaded C program printing dlsym's mi_version), Debian's jq and a musl program are
// bundled, run in the chroot (--test) and in podman from the loaded image, and mimalloc is seen
// from inside (its mi_version, MIMALLOC_VERBOSE's banner). Bad input: one line, exit 2, no OUT.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chrootArgv } from '../../scripts/src/core/bundle/run-test.ts';
import { readElfFile } from '../../scripts/src/elf/index.ts';
import { errorLines, runCli } from '../helpers/cli.ts';
import { compileMallocProbe } from '../helpers/malloc-probe.ts';

// chroot needs root and the image half needs podman (./setup.sh on CI): fail loudly, never skip.
if (process.getuid?.() !== 0) throw new Error('bundle --preload proofs need root (chroot): run the tests as root, as CI does');
try {
  execFileSync('podman', ['--version']);
} catch {
  throw new Error('bundle --preload proofs need podman on PATH: run ./setup.sh');
}
const work = mkdtempSync(join(tmpdir(), 'bs-preload-it-'));
const loaded: string[] = [];
afterAll(() => {
  for (const ref of loaded) spawnSync('podman', ['rmi', '-f', ref], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
});
let probe: string;
let probeMusl: string;
let probeArm64: string;
let hook: string;
beforeAll(() => {
  probe = compileMallocProbe(work, 'amd64');
  probeMusl = compileMallocProbe(work, 'musl');
  probeArm64 = compileMallocProbe(work, 'arm64');
  writeFileSync(join(work, 'hook.c'), '#include <unistd.h>\n__attribute__((constructor)) static void hook(void) { write(1, "hooked\\n", 7); }\n');
  hook = join(work, 'libhook.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-o', hook, join(work, 'hook.c')]);
});

// Runs a command in the chroot the way --test does (the host's chroot never sees LD_PRELOAD), with
// MIMALLOC_VERBOSE=1 added so mimalloc announces itself on stderr.
const chroot = async (root: string, preload: string, argv: string[]) => {
  const [cmd, ...args] = await chrootArgv(root, { argv, env: { LD_PRELOAD: preload, MIMALLOC_VERBOSE: '1' } });
  return spawnSync(cmd!, args, { encoding: 'utf8' });
};
const podmanRun = (ref: string, args: string[]) =>
  spawnSync('podman', ['run', '--rm', '--network', 'none', '-e', 'MIMALLOC_VERBOSE=1', ref, ...args], { encoding: 'utf8', timeout: 120_000 });
const configEnv = (ref: string): string[] => JSON.parse(execFileSync('podman', ['image', 'inspect', ref, '--format', '{{json .Config.Env}}'], { encoding: 'utf8' }));

describe('bundle --preload mimalloc is used inside the bundle and the image', () => {
  test('the probe: mi_version from inside the chroot and podman, absent without --preload', async () => {
    const ref = 'localhost/build-static-preload-probe:test';
    const r = await runCli(['bundle', probe, join(work, 'probe'), '--preload', 'mimalloc', '--test', '--test-stdout', 'mi_version=30302', '--image', ref, '--load', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    loaded.push(ref);
    const result = JSON.parse(r.stdout);
    expect(result.preloaded).toEqual(['/usr/lib/mimalloc/libmimalloc.so']);
    expect(result.libraries).not.toContainEqual(expect.stringMatching(/\.cache|mimalloc/));
    const { elf } = await readElfFile(join(work, 'probe', 'usr/lib/mimalloc/libmimalloc.so'));
    expect(elf.dynamic?.soname).toBe('libmimalloc.so.3');
    expect(configEnv(ref)).toContain('LD_PRELOAD=/usr/lib/mimalloc/libmimalloc.so');
    const run = podmanRun(ref, []);
    expect(run.stdout.trim()).toBe('mi_version=30302');
    expect(run.stderr).toMatch(/mimalloc: process init/);
    expect(run.status).toBe(0);
    // The control: the same program bundled without --preload has no mimalloc in it.
    const plain = await runCli(['bundle', probe, join(work, 'probe-plain'), '--test', '--test-stdout', 'mi_version=0', '--json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout).preloaded).toEqual([]);
  }, 300_000);

  test('jq with mimalloc-secure: works, and MIMALLOC_VERBOSE shows secure level 4 in chroot and podman', async () => {
    const ref = 'localhost/build-static-preload-jq:test';
    const out = join(work, 'jq');
    const r = await runCli(['bundle', '/usr/bin/jq', out, '--preload', 'mimalloc-secure', '--test', '--test-command', 'jq -n [1,2]|add', '--test-stdout', '3', '--image', ref, '--load']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('LD_PRELOAD=/usr/lib/mimalloc/libmimalloc-secure.so');
    loaded.push(ref);
    const inChroot = await chroot(out, '/usr/lib/mimalloc/libmimalloc-secure.so', ['jq', '-n', '6*7']);
    expect(inChroot.stdout.trim()).toBe('42');
    expect(inChroot.stderr).toMatch(/mimalloc: process init[\s\S]*secure level: 4/);
    expect(inChroot.stderr).not.toMatch(/cannot be preloaded/);
    const run = podmanRun(ref, ['-n', '6*7']);
    expect(run.stdout.trim()).toBe('42');
    expect(run.stderr).toMatch(/mimalloc: process init[\s\S]*secure level: 4/);
  }, 300_000);

  test('a musl program gets the musl build; a .so path is preloaded too, in order', async () => {
    const out = join(work, 'musl');
    const r = await runCli(['bundle', probeMusl, out, '--preload', 'mimalloc', '--test', '--test-stdout', 'mi_version=30302', '--json'], { env: { ...process.env, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-musl' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { elf } = await readElfFile(join(out, 'usr/lib/mimalloc/libmimalloc.so'));
    expect(elf.dynamic?.needed).toEqual(['libc.so']);
    expect((await chroot(out, '/usr/lib/mimalloc/libmimalloc.so', [probeMusl])).stderr).toMatch(/mimalloc: process init/);
    const both = await runCli(['bundle', probe, join(work, 'hooked'), '--preload', hook, '--preload', 'mimalloc', '--test', '--test-stdout', 'hooked\nmi_version=30302', '--json']);
    expect(both.stderr).toBe('');
    expect(both.code).toBe(0);
    expect(JSON.parse(both.stdout).preloaded).toEqual([hook, '/usr/lib/mimalloc/libmimalloc.so']);
    expect(existsSync(join(work, 'hooked', hook))).toBe(true);
  }, 300_000);
});

describe('bundle --preload bad input: one line, exit 2, nothing written', () => {
  const cases: Array<{ name: string; args: () => string[]; message: RegExp }> = [
    { name: 'an unknown name', args: () => [probe, '--preload', 'nonsense'], message: /unknown --preload "nonsense": use mimalloc or mimalloc-secure, or the path of a shared library/ },
    { name: 'a static executable', args: () => [compileMallocProbe(work, 'musl', ['-static']), '--preload', 'mimalloc'], message: /--preload needs dynamically linked executables: .*malloc-probe-musl-static is static/ },
    { name: 'both flavors', args: () => [probe, '--preload', 'mimalloc', '--preload', 'mimalloc-secure'], message: /pick one mimalloc flavor/ },
    { name: 'an executable as the library', args: () => [probe, '--preload', '/usr/bin/jq'], message: /--preload \/usr\/bin\/jq is not a shared library/ },
    { name: 'a library of another machine', args: () => [probe, '--preload', join(work, 'arm64.so')], message: /is an ELF64 aarch64 library but the executables are ELF64 x86_64/ },
    { name: 'a missing library', args: () => [probe, '--preload', join(work, 'absent.so')], message: /absent\.so does not exist/ },
    { name: 'executables of two machines', args: () => [probe, probeArm64, '--preload', 'mimalloc'], message: /--preload needs executables of one machine: .*malloc-probe-arm64 is aarch64/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      if (c.name.includes('another machine')) execFileSync('aarch64-linux-gnu-gcc', ['-shared', '-fPIC', '-o', join(work, 'arm64.so'), join(work, 'hook.c')]);
      const out = join(work, `bad-${c.name.replace(/\W+/g, '-')}`);
      const r = await runCli(['bundle', ...c.args(), out]);
      expect(errorLines(r.stderr)).toHaveLength(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(errorLines(r.stderr)[0]).toMatch(c.message);
      expect(r.code).toBe(2);
      expect(existsSync(out)).toBe(false);
    });
  }
});

// The offline path without -Zbuild-std in every build: std for each musl target is compiled once
// from the rust-src of Debian's rustc into a cached sysroot (scripts/src/core/toolchain/sysroot.ts)
// and then used with --sysroot like a prebuilt std. Builds a real crate (C code via
// libmimalloc-sys, threads, unwinding, LTO) for both platforms, runs both, and proves a second
// build in a fresh target directory compiles no std crate.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { classifyLinkage, parseElf } from '../../scripts/src/elf/index.ts';
import { hostPlatform, PLATFORMS } from '../../scripts/src/core/platform.ts';
import { ensureStdSysroot } from '../../scripts/src/core/toolchain/sysroot.ts';
import { REPO, runCli } from '../helpers/cli.ts';

let work = '';
let json: { outputs: Array<{ platform: string; toolchain: { std: string } }> };
let second = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-sysroot-'));
  await cp(join(REPO, 'test/fixtures/threads-probe'), join(work, 'src'), { recursive: true });
  const first = await runCli(['build', join(work, 'src'), '--std', 'sysroot', '--json'], {
    env: { ...process.env, CARGO_TARGET_DIR: join(work, 'target-1') },
  });
  if (first.code !== 0) throw new Error(`build --std sysroot failed with exit ${first.code}:\n${first.stderr.slice(-6000)}`);
  json = JSON.parse(first.stdout);
  const again = await runCli(['build', join(work, 'src'), '--std', 'sysroot', '--platform', 'linux/arm64'], {
    env: { ...process.env, CARGO_TARGET_DIR: join(work, 'target-2') },
  });
  if (again.code !== 0) throw new Error(`second build failed with exit ${again.code}:\n${again.stderr.slice(-6000)}`);
  second = again.stderr;
});

test('both targets used the cached std sysroot', () => {
  expect(json.outputs.map((o) => [o.platform, o.toolchain.std])).toEqual([
    ['linux/amd64', 'sysroot'],
    ['linux/arm64', 'sysroot'],
  ]);
});

test('the sysroot holds std rlibs built by the rustc that uses them', async () => {
  for (const platform of PLATFORMS) {
    const s = await ensureStdSysroot(platform);
    const rlibs = await readdir(s.libDir);
    expect(rlibs.some((f) => /^libstd-[0-9a-f]+\.rlib$/.test(f))).toBe(true);
    expect(rlibs.some((f) => f.startsWith('libpanic_abort-'))).toBe(true);
    expect(await readFile(join(s.sysroot, '.complete'), 'utf8')).toContain(s.rustcVersion);
  }
});

test('a fresh target directory compiles the crate graph but no std crate', () => {
  expect(second).toMatch(/Compiling threads-probe/);
  expect(second).not.toMatch(/Compiling (std|core|alloc|compiler_builtins) v/);
  expect(second).toMatch(/--sysroot/);
});

test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: static, runs with unwinding and threads', async (_id, platform) => {
  const exe = join(work, 'target-1', 'build-static', 'out', platform.slug, 'threads-probe');
  const elf = parseElf(new Uint8Array(await readFile(exe)));
  expect(elf.machine).toBe(platform.elfMachine);
  expect(classifyLinkage(elf)).toMatchObject({ kind: 'static', needed: [] });
  const argv = hostPlatform() === platform ? [exe] : [platform.qemu, exe];
  const stdout = execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  expect(stdout).toBe(`caught=true total=4000 config=true arch=${platform.elfMachineName}`);
});

test('--dry-run names the sysroot without building it', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'bs-sysroot-cache-'));
  const result = await runCli(['build', join(work, 'src'), '--std', 'sysroot', '--dry-run', '--platform', 'linux/amd64'], {
    env: { ...process.env, BUILD_STATIC_CACHE: cache, CARGO_TARGET_DIR: join(work, 'target-dry') },
  });
  expect(result.code).toBe(0);
  const output = result.stdout + result.stderr;
  expect(output).toContain(`"--sysroot","${cache}/sysroots/std/`);
  const dir = output.split(`"--sysroot","`)[1]?.split('"')[0];
  expect(dir).toBeDefined();
  expect(existsSync(dir!)).toBe(false);
});

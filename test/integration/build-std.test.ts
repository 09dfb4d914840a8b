// The fallback path for machines where rustup cannot download a musl std: -Zbuild-std from the
// std sources of Debian's rustc (installed by setup.sh), with the compat libunwind. Builds a small
// real crate (C code via libmimalloc-sys, threads, unwinding) for both platforms and runs both.
// Also proves CARGO_TARGET_DIR and the project's .cargo/config.toml rustflags are honoured.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { classifyLinkage, detectAllocator, parseElf } from '../../scripts/src/elf/index.ts';
import { hostPlatform, PLATFORMS } from '../../scripts/src/core/platform.ts';
import { REPO, runCli } from '../helpers/cli.ts';

let work = '';
let json: { outputs: Array<{ platform: string; path: string; toolchain: { std: string; version: string } }> };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-buildstd-'));
  await cp(join(REPO, 'test/fixtures/threads-probe'), join(work, 'src'), { recursive: true });
  const result = await runCli(['build', join(work, 'src'), '--std', 'build-std', '--json'], {
    env: { ...process.env, CARGO_TARGET_DIR: join(work, 'cargo-target') },
  });
  if (result.code !== 0) throw new Error(`build --std build-std failed with exit ${result.code}:\n${result.stderr.slice(-6000)}`);
  json = JSON.parse(result.stdout);
});

test('std was built from source for both targets', () => {
  expect(json.outputs.map((o) => [o.platform, o.toolchain.std])).toEqual([
    ['linux/amd64', 'build-std'],
    ['linux/arm64', 'build-std'],
  ]);
});

test('CARGO_TARGET_DIR holds the per-platform target dirs and the default OUT', () => {
  for (const p of PLATFORMS) expect(existsSync(join(work, 'cargo-target', 'build-static', p.slug))).toBe(true);
  expect(existsSync(join(work, 'cargo-target', 'build-static', 'out', 'build-static.json'))).toBe(true);
  expect(existsSync(join(work, 'src', 'target'))).toBe(false);
});

test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: static, mimalloc, runs with unwinding, threads and the config cfg', async (_id, platform) => {
  const exe = join(work, 'cargo-target', 'build-static', 'out', platform.slug, 'threads-probe');
  const bytes = new Uint8Array(await readFile(exe));
  const elf = parseElf(bytes);
  expect(elf.machine).toBe(platform.elfMachine);
  expect(classifyLinkage(elf)).toMatchObject({ kind: 'static', needed: [] });
  expect(detectAllocator(bytes, elf).allocator).toBe('mimalloc');
  const argv = hostPlatform() === platform ? [exe] : [platform.qemu, exe];
  const stdout = execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  expect(stdout).toBe(`caught=true total=4000 config=true arch=${platform.elfMachineName}`);
});

// The C side of real crates, proven for both platforms: test/fixtures/sys-crates depends on the
// -sys crates services use (ring, aws-lc-rs/aws-lc-sys, openssl-sys vendored, zstd-sys,
// libsqlite3-sys bundled, tikv-jemalloc-sys, bzip2-sys/lzma-sys/libz-sys static), is built by
// build-static with default flags, verified static by its ELF, and run (arm64 under qemu),
// calling into every library. Slow when cold (C for two targets on 2 cores: ~25 min), so the
// target dir lives in ~/.cache/build-static-test/sys-crates and reruns are warm.
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { beforeAll, expect, test } from 'vitest';
import { hostPlatform, PLATFORMS } from '../../scripts/src/core/platform.ts';
import { classifyLinkage, parseElf } from '../../scripts/src/elf/index.ts';
import { REPO, runCli } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/sys-crates');
const TARGET = process.env.BUILD_STATIC_TEST_CACHE ? join(process.env.BUILD_STATIC_TEST_CACHE, 'sys-crates') : join(homedir(), '.cache/build-static-test/sys-crates');

interface Output { platform: string; path: string; linkage: string; allocator: string }
let outputs: Output[] = [];

beforeAll(async () => {
  const res = await runCli(['build', FIXTURE, '--platform', 'linux/amd64,linux/arm64', '--json'], { env: { ...process.env, CARGO_TARGET_DIR: TARGET } });
  if (res.code !== 0) throw new Error(`build of ${FIXTURE} failed with exit ${res.code}:\n${res.stderr.slice(-8000)}`);
  outputs = JSON.parse(res.stdout).outputs;
});

test('both platforms built, static, with the crate\'s jemalloc', () => {
  expect(outputs.map((o) => [o.platform, o.linkage, o.allocator])).toEqual([
    ['linux/amd64', expect.stringMatching(/^static(-pie)?$/), 'jemalloc'],
    ['linux/arm64', expect.stringMatching(/^static(-pie)?$/), 'jemalloc'],
  ]);
});

test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: the ELF is static for the machine and every library answers', async (_id, platform) => {
  const exe = join(TARGET, 'build-static', 'out', platform.slug, 'sys-crates');
  const elf = parseElf(new Uint8Array(await readFile(exe)));
  expect(elf.machine).toBe(platform.elfMachine);
  expect(classifyLinkage(elf)).toMatchObject({ kind: expect.stringMatching(/^static(-pie)?$/), needed: [] });
  const argv = hostPlatform() === platform ? [exe] : [platform.qemu, exe];
  const lines = execFileSync(argv[0]!, argv.slice(1), { timeout: 60_000 }).toString().trim().split('\n');
  const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  expect(lines).toEqual([
    `ring sha256(abc)=${abc}`,
    `aws-lc-rs sha256(abc)=${abc}`,
    expect.stringMatching(new RegExp(`^openssl OpenSSL 3\\.\\d+\\.\\d+ .* sha256\\(abc\\)=${abc}$`)),
    expect.stringMatching(/^zstd 1\.\d+\.\d+ roundtrip 13000 -> \d+ bytes$/),
    'sqlite ' + (lines[4]?.split(' ')[1] ?? '?') + ' sum(1..100)=5050',
    expect.stringMatching(/^jemalloc 5\.\d+\.\d+.* allocated>0=true$/),
    expect.stringMatching(/^bzip2 roundtrip 13000 -> \d+ bytes$/),
    expect.stringMatching(/^lzma 5\.\d+\.\d+ roundtrip 13000 -> \d+ bytes$/),
    expect.stringMatching(/^zlib \d+\.\d+.* roundtrip 13000 -> \d+ bytes$/),
    'all libraries ok',
  ]);
  expect(lines[4]).toMatch(/^sqlite 3\.\d+\.\d+ /);
});

// The main job, end to end with real processes: build the allowlist example for linux/amd64 and
// linux/arm64 through the CLI, prove both binaries static by reading their ELF, then run amd64
// natively and arm64 under qemu-user and exercise every endpoint, in memory and against a real
// redis-server.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classifyLinkage, detectAllocator, findSection, parseElf, sectionData } from '../../scripts/src/elf/index.ts';
import { hostPlatform, PLATFORMS, type Platform } from '../../scripts/src/core/platform.ts';
import { exerciseAllowlist, startAllowlist } from '../helpers/allowlist.ts';
import { runCli } from '../helpers/cli.ts';
import { freePort, startProcess, startRedis } from '../helpers/processes.ts';

interface Output { platform: string; bin: string; path: string; sha256: string; size: number; linkage: string; allocator: string; multiThreaded: boolean; toolchain: { std: string } }

let out = '';
let outputs: Output[] = [];
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;

function runner(platform: Platform, exe: string): string[] {
  return hostPlatform() === platform ? [exe] : [platform.qemu, exe];
}
const exePath = (p: Platform) => join(out, p.slug, 'allowlist');

beforeAll(async () => {
  out = join(await mkdtemp(join(tmpdir(), 'bs-allowlist-')), 'out');
  const result = await runCli(['build', 'examples/allowlist', '--platform', 'linux/amd64,linux/arm64', '--out', out, '--json']);
  if (result.code !== 0) throw new Error(`build-static build failed with exit ${result.code}:\n${result.stderr.slice(-6000)}`);
  const json = JSON.parse(result.stdout) as { ok: boolean; outputs: Output[] };
  expect(json.ok).toBe(true);
  outputs = json.outputs;
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.proc.stop();
});

describe('build-static build examples/allowlist', () => {
  test('writes one binary per platform and a build-static.json that matches them', async () => {
    const manifest = JSON.parse(await readFile(join(out, 'build-static.json'), 'utf8')) as { outputs: Output[] };
    expect(manifest.outputs).toEqual(outputs);
    expect(outputs.map((o) => [o.platform, o.path])).toEqual([
      ['linux/amd64', 'linux-amd64/allowlist'],
      ['linux/arm64', 'linux-arm64/allowlist'],
    ]);
    for (const o of outputs) {
      const bytes = await readFile(join(out, o.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(o.sha256);
      expect(bytes.byteLength).toBe(o.size);
    }
  });

  test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: a static ELF for its machine, with mimalloc, multi-threaded', async (_id, platform) => {
    const bytes = new Uint8Array(await readFile(exePath(platform)));
    const elf = parseElf(bytes);
    expect(elf.machine).toBe(platform.elfMachine);
    const linkage = classifyLinkage(elf);
    expect(linkage.interpreter).toBeUndefined();
    expect(linkage.needed).toEqual([]);
    expect(['static', 'static-pie']).toContain(linkage.kind);
    expect(detectAllocator(bytes, elf).allocator).toBe('mimalloc');
    const record = outputs.find((o) => o.platform === platform.id);
    expect(record).toMatchObject({ allocator: 'mimalloc', multiThreaded: true });
    // Linked by rustup's rust-lld through the cross gcc (lld records itself in .comment; bfd does not).
    const comment = findSection(elf.sections, '.comment');
    expect(comment && Buffer.from(sectionData(bytes, comment)).toString('latin1')).toContain('Linker: LLD');
    // mimalloc's options.c embeds __DATE__ and __TIME__: the plan's SOURCE_DATE_EPOCH=0 makes them
    // the epoch, not the hour of the build, so a cold build at any time gives the same bytes.
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('\0Jan  1 1970\0');
    const now = new Date();
    const today = `${now.toUTCString().slice(8, 11)} ${String(now.getUTCDate()).padStart(2, ' ')} ${now.getUTCFullYear()}`; // __DATE__'s form
    expect(text).not.toContain(today);
  });

  test('build-static inspect --require static: both binaries static, mimalloc, right machines', async () => {
    const result = await runCli(['inspect', exePath(PLATFORMS[0]!), exePath(PLATFORMS[1]!), '--require', 'static', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const reports = JSON.parse(result.stdout) as Array<{ machine: string; linkage: string; allocator: string; multiThreaded: boolean; unmet: string[] }>;
    expect(reports.map((r) => [r.machine, r.allocator, r.multiThreaded, r.unmet])).toEqual([
      ['x86_64', 'mimalloc', true, []],
      ['aarch64', 'mimalloc', true, []],
    ]);
  });

  test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: serves every endpoint from memory', async (_id, platform) => {
    const { base, storage, proc } = await startAllowlist(runner(platform, exePath(platform)));
    try {
      expect(storage).toBe('memory');
      await exerciseAllowlist(base, 'memory', randomBytes(4).toString('hex'));
    } finally {
      expect(await proc.stop()).toBe(0); // graceful shutdown on SIGTERM
    }
    expect(proc.output()).toContain('allowlist shutting down');
  });

  test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: keeps the allowlist in a real redis-server', async (_id, platform) => {
    const unique = randomBytes(4).toString('hex');
    const first = await startAllowlist(runner(platform, exePath(platform)), { REDIS_URL: redis!.url });
    try {
      expect(first.storage).toBe('redis');
      await exerciseAllowlist(first.base, 'redis', unique);
    } finally {
      await first.proc.stop();
    }
    const parsed = `0x${unique.replace(/^0+/, '')}`;
    const member = execFileSync('redis-cli', ['-p', String(redis!.port), 'SISMEMBER', 'allowlist', parsed]).toString().trim();
    expect(member).toBe('1');
    // A new process sees what the previous one stored.
    const second = await startAllowlist(runner(platform, exePath(platform)), { REDIS_URL: redis!.url });
    try {
      const res = await fetch(`${second.base}/${parsed}`);
      expect(await res.json()).toMatchObject({ is_allowed: true, message: 'Found in allowlist' });
    } finally {
      await second.proc.stop();
    }
  });

  test('an unreachable Redis is one clear line and exit code 2', async () => {
    const port = await freePort();
    const platform = hostPlatform()!;
    const started = startProcess(runner(platform, exePath(platform)), {
      env: { PORT: '0', BIND_ADDRESS: '127.0.0.1', REDIS_URL: `redis://127.0.0.1:${port}` },
      ready: /never/,
      timeoutMs: 30_000,
    });
    const error = await started.then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/exited with 2 before it was ready/);
    expect(error?.message).toMatch(new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}`));
  });
});

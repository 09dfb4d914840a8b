// The muslrust stand-in on its own: build.mjs pushes one index with both platforms to a real
// registry; each platform's config is muslrust-like (no CARGO_BUILD_TARGET) and records the rustc
// the std rlibs were built by — this machine's; bad arguments are one line and exit 2.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';

const SCRIPT = fileURLToPath(new URL('../../../images/muslrust-standin/build.mjs', import.meta.url));
let registry: TestRegistry;
let result: { ref: string; list: string; images: Record<string, string>; rustc: string };

beforeAll(async () => {
  registry = await startRegistry();
  // Asynchronously: a worker blocked for minutes times out vitest's RPC.
  const r = await promisify(execFile)(process.execPath, [SCRIPT, '--registry', registry.host, '--tag', 'test', '--json'], { maxBuffer: 64 << 20 }).catch((e: { code?: unknown; stderr?: string }) => {
    throw new Error(`muslrust-standin build.mjs failed (${e.code}):\n${(e.stderr ?? String(e)).split('\n').slice(-20).join('\n')}`);
  });
  result = JSON.parse(r.stdout);
}, 3_600_000);
afterAll(async () => {
  await registry?.dispose();
});

const skopeo = (...args: string[]) => JSON.parse(execFileSync('skopeo', [...args, '--tls-verify=false'], { encoding: 'utf8' }));

test('one index with linux/amd64 and linux/arm64 in the registry', () => {
  expect(result.ref).toBe(`${registry.host}/build-static/muslrust-standin:test`);
  expect(result.images).toEqual({ 'linux/amd64': 'localhost/muslrust-standin:test-amd64', 'linux/arm64': 'localhost/muslrust-standin:test-arm64' });
  const index = skopeo('inspect', '--raw', `docker://${result.ref}`) as { manifests: Array<{ platform: { os: string; architecture: string } }> };
  expect(index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64']);
});

test.each(['amd64', 'arm64'])('%s: muslrust-like config, this machine\'s rustc, two layers', (arch) => {
  const config = skopeo('inspect', '--config', '--override-arch', arch, `docker://${result.ref}`) as {
    architecture: string; config: { Env: string[]; Labels: Record<string, string>; WorkingDir: string }; rootfs: { diff_ids: string[] };
  };
  expect(config.architecture).toBe(arch);
  expect(config.config.Labels['dev.build-static.rustc']).toBe(execFileSync('/usr/bin/rustc', ['-V'], { encoding: 'utf8' }).trim());
  expect(config.config.Labels['dev.build-static.packages']).toMatch(/^rustc-web=\S+ cargo-web=\S+ gcc .*musl-dev:(amd64|arm64)/);
  expect(config.config.Env).toContain('PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  expect(config.config.Env.some((e) => e.startsWith('CARGO_BUILD_TARGET'))).toBe(false);
  expect(config.config.WorkingDir).toBe('/volume');
  expect(config.rootfs.diff_ids).toHaveLength(2);
});

test('bad arguments: one line, exit 2', () => {
  for (const [args, line] of [
    [['--registry', 'http://x'], /^muslrust-standin: --registry must be HOST\[:PORT\], got "http:\/\/x"$/],
    [['--tag', 'a b'], /^muslrust-standin: --tag "a b" is not a valid image tag$/],
    [['--registry'], /^muslrust-standin: --registry needs a value/],
  ] as const) {
    const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
  }
});

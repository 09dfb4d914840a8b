// build-static image end to end with real components: Debian's docker-registry on 127.0.0.1
// (plain and htpasswd), a chainguard/static stand-in built from Debian files and pushed as an
// index with skopeo, the allowlist image pushed by build-static, checked with skopeo, validated
// blob by blob, pulled and run with podman for amd64 and arm64 (qemu), loaded with --load, and
// rebuilt byte-identically under another TZ and umask.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildStaticBase } from '../../scripts/src/core/image/static-base.ts';
import { validateLayout } from '../../scripts/src/oci/index.ts';
import { hostPlatform, PLATFORMS } from '../../scripts/src/core/platform.ts';
import { exerciseAllowlist } from '../helpers/allowlist.ts';
import { CLI, REPO, errorLines, runCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/processes.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';

const exec = promisify(execFile);
let work = '';
let registry: TestRegistry;
let authRegistry: TestRegistry;
let baseRef = '';
let tag = '';
let result: { digest: string; manifests: Array<{ platform: string; digest: string }>; base: { name: string; digest?: string } };
const sha256 = (b: Uint8Array | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const skopeo = async (...args: string[]) => (await exec('skopeo', args, { maxBuffer: 64 << 20 })).stdout;
const podman = async (...args: string[]) => (await exec('podman', args, { maxBuffer: 64 << 20 })).stdout.trim();

async function imageCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return runCli(['image', 'examples/allowlist', '--base', baseRef, ...args], { env });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-image-'));
  registry = await startRegistry();
  authRegistry = await startRegistry({ htpasswd: { username: 'builder', password: 's3cret' } });
  await buildStaticBase(join(work, 'base'), { tag: 'latest' });
  baseRef = `${registry.host}/chainguard/static:latest`;
  await skopeo('copy', '--all', '--dest-tls-verify=false', `oci:${join(work, 'base')}:latest`, `docker://${baseRef}`);
  tag = `${registry.host}/allowlist:test`;
  const r = await imageCli(['--tag', tag, '--push', '--oci-layout', join(work, 'layout'), '--json']);
  if (r.code !== 0) throw new Error(`build-static image failed (${r.code}):\n${r.stderr.slice(-5000)}`);
  result = JSON.parse(r.stdout);
});

afterAll(async () => {
  await registry?.dispose();
  await authRegistry?.dispose();
});

describe('build-static image --push', () => {
  test('records the base digest and writes a valid layout with the same index', async () => {
    const baseDigest = sha256(await skopeo('inspect', '--raw', '--tls-verify=false', `docker://${baseRef}`));
    expect(result.base).toEqual({ name: baseRef, digest: baseDigest });
    await validateLayout(join(work, 'layout'), tag);
    const layoutIndex = JSON.parse(await readFile(join(work, 'layout', 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(layoutIndex.manifests[0]!.digest).toBe(result.digest);
  });

  test('the registry holds one index with both platforms, as skopeo sees it', async () => {
    const raw = await skopeo('inspect', '--raw', '--tls-verify=false', `docker://${tag}`);
    expect(sha256(raw)).toBe(result.digest);
    const index = JSON.parse(raw) as { manifests: Array<{ digest: string; platform: { os: string; architecture: string } }> };
    expect(index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: base layers + 1, user 65532, entrypoint, CA env, labels', async (id) => {
    const digest = result.manifests.find((m) => m.platform === id)!.digest;
    const ref = `docker://${registry.host}/allowlist@${digest}`;
    const manifest = JSON.parse(await skopeo('inspect', '--raw', '--tls-verify=false', ref)) as { layers: unknown[] };
    const baseManifest = JSON.parse(await skopeo('inspect', '--raw', '--tls-verify=false', '--override-arch', id.split('/')[1]!, `docker://${baseRef}`)) as { manifests?: unknown[]; layers?: unknown[] };
    const baseLayers = baseManifest.layers?.length ?? 1;
    expect(manifest.layers).toHaveLength(baseLayers + 1);
    const config = JSON.parse(await skopeo('inspect', '--config', '--tls-verify=false', ref)) as { architecture: string; config: { User: string; Entrypoint: string[]; Env: string[]; Labels: Record<string, string> } };
    expect(config.architecture).toBe(id.split('/')[1]);
    expect(config.config.User).toBe('65532');
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/allowlist']);
    expect(config.config.Env).toContain('SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt');
    expect(config.config.Labels).toMatchObject({ 'org.opencontainers.image.title': 'allowlist', 'org.opencontainers.image.version': '0.1.0', 'org.opencontainers.image.base.name': baseRef });
  });

  test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: podman pulls and runs it; every endpoint answers', async (id, platform) => {
    const digest = result.manifests.find((m) => m.platform === id)!.digest;
    await podman('pull', '--tls-verify=false', `${registry.host}/allowlist@${digest}`);
    const port = await freePort();
    const container = await podman('run', '-d', '--rm', '--network', 'host', '--platform', id, '-e', `PORT=${port}`, '-e', 'BIND_ADDRESS=127.0.0.1', `${registry.host}/allowlist@${digest}`);
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + (hostPlatform() === platform ? 20_000 : 60_000);
      while (Date.now() < deadline && !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 250));
      await exerciseAllowlist(base, 'memory', id === 'linux/amd64' ? 'a1' : 'b2');
      expect(await podman('inspect', container, '--format', '{{.Config.User}}')).toBe('65532');
    } finally {
      await podman('rm', '-f', container).catch(() => '');
    }
  }, 180_000);

  test('a rerun skips every blob already in the registry', async () => {
    const r = await imageCli(['--tag', tag, '--push']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/push: \w+ already there/);
    expect(r.stderr).not.toMatch(/uploaded/);
  });
});

test('same inputs, another TZ and umask, another output dir: identical bytes and digest', async () => {
  const second = join(work, 'layout2');
  const { stdout } = await exec('bash', ['-c', `umask 077; exec "${process.execPath}" "${CLI}" image examples/allowlist --base "${baseRef}" --tag "${tag}" --oci-layout "${second}" --json`], {
    cwd: REPO,
    env: { ...process.env, TZ: 'Pacific/Kiritimati' },
    maxBuffer: 64 << 20,
  });
  expect(JSON.parse(stdout).digest).toBe(result.digest);
  const files = async (dir: string) => (await readdir(join(dir, 'blobs', 'sha256'))).sort();
  expect(await files(second)).toEqual(await files(join(work, 'layout')));
  expect(await readFile(join(second, 'index.json'))).toEqual(await readFile(join(work, 'layout', 'index.json')));
}, 300_000);

test('--load puts this machine\'s image into podman, and it runs', async () => {
  const r = await imageCli(['--tag', 'localhost/allowlist:loaded', '--load']);
  expect(r.code, r.stderr).toBe(0);
  const arch = await podman('image', 'inspect', 'localhost/allowlist:loaded', '--format', '{{.Architecture}}');
  expect(arch).toBe(hostPlatform()!.arch);
  const out = await exec('podman', ['run', '--rm', '-e', 'PORT=notaport', 'localhost/allowlist:loaded']).catch((e: { stderr: string; code: number }) => e);
  expect((out as { code: number }).code).toBe(2); // the real binary ran and rejected the bad PORT
  expect((out as { stderr: string }).stderr).toMatch(/invalid PORT "notaport"/);
}, 300_000);

describe('registry errors: one line, the right exit code', () => {
  test('401 without credentials names the registry; a docker config.json fixes it', async () => {
    const ref = `${authRegistry.host}/allowlist:auth`;
    const denied = await imageCli(['--tag', ref, '--push'], { ...process.env, DOCKER_CONFIG: join(work, 'no-config'), REGISTRY_AUTH_FILE: join(work, 'none.json') });
    expect(denied.code).toBe(2);
    expect(errorLines(denied.stderr)).toEqual([expect.stringMatching(new RegExp(`401 Unauthorized from ${authRegistry.host.replace(/\./g, '\\.')}.*no credentials for`))]);
    const dockerConfig = join(work, 'docker');
    await mkdir(dockerConfig, { recursive: true });
    await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [authRegistry.host]: { auth: Buffer.from('builder:s3cret').toString('base64') } } }));
    const ok = await imageCli(['--tag', ref, '--push'], { ...process.env, DOCKER_CONFIG: dockerConfig });
    expect(ok.code, ok.stderr).toBe(0);
  }, 300_000);

  test('an unreachable registry', async () => {
    const port = await freePort();
    const r = await imageCli(['--tag', `127.0.0.1:${port}/allowlist:x`, '--push']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}`))]);
  }, 300_000);

  test.each([
    [['--tag', 'Bad/Ref:!!', '--push'], /invalid image reference "Bad\/Ref:!!"/],
    [['--push'], /--push needs --tag/],
    [['--base', 'oci-layout:/nonexistent/layout'], /nonexistent/],
  ])('bad input %j', async (args, message) => {
    const r = await runCli(['image', 'examples/allowlist', ...args]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(message)]);
  });
});

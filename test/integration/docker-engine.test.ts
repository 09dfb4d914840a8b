// `build-static build --engine docker` against a real Docker engine (Debian's dockerd, started by
// the test): examples/allowlist through its rendered Dockerfile FROM muslrust-chef, one
// `docker build --platform P` per platform with the engine's own BuildKit, pushed as REF-amd64 and
// REF-arm64 to a local docker-registry, then tied into one index at REF by build-static's registry
// client; both run under podman (arm64 under qemu) and answer HTTP.
// A source-only edit rebuilds with each platform's cook step CACHED. dockerd runs without a
// bridge here, so the builds take --engine-arg=--network=host.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cacheDir } from '../../scripts/src/core/fs.ts';
import { sha256Digest } from '../../scripts/src/oci/digest.ts';
import { MEDIA_TYPE } from '../../scripts/src/oci/types.ts';
import { runCli } from '../helpers/cli.ts';
import { type Dockerd, startDockerd } from '../helpers/dockerd.ts';
import { hexId, indexPlatforms, PLATFORMS, runAndCheck, startEngineFixture } from '../helpers/engine-images.ts';
import type { TestRegistry } from '../helpers/registry.ts';

const exec = promisify(execFile);

let registry: TestRegistry;
let dockerd: Dockerd;
let work: string;
let project: string;
let args: string[] = [];
const tag = () => `${registry.host}/allowlist:docker`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-docker-engine-'));
  const fixture = await startEngineFixture(work, 'docker-engine');
  registry = fixture.registry;
  project = fixture.project;
  // The engine's images and BuildKit cache mounts are kept across runs, like podman's.
  dockerd = await startDockerd({ dataRoot: join(cacheDir(), 'dockerd') });
  args = [
    '--engine',
    'docker',
    '--engine-arg=--network=host',
    '--chef-image',
    fixture.chefImage,
    '--base',
    fixture.base,
    '--platform',
    PLATFORMS.join(','),
    '--tag',
    tag(),
    '--push',
  ];
}, 3_600_000);

afterAll(async () => {
  if (dockerd && registry) {
    const { stdout } = await exec('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { env: dockerd.env }).catch(() => ({
      stdout: '',
    }));
    const mine = stdout.split('\n').filter((r) => r.startsWith(`${registry.host}/`));
    if (mine.length > 0) await exec('docker', ['rmi', ...mine], { env: dockerd.env }).catch(() => undefined);
  }
  await dockerd?.dispose();
  await registry?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

async function build(): Promise<{ stderr: string; images: string[]; index?: string; digest?: string }> {
  const res = await runCli(['build', project, ...args, '--json'], { env: dockerd.env });
  if (res.code !== 0) {
    const errors = res.stderr.split('\n').filter((l) => /^build-static: error:|^\[docker\] .*(ERROR|error:)/.test(l));
    throw new Error(
      `build --engine docker exited with ${res.code}: ${errors.join(' | ') || '(no error line)'}\n${res.stderr.slice(-6000)}\n` +
        `dockerd:\n${dockerd.output().slice(-3000)}`,
    );
  }
  return { stderr: res.stderr, ...(JSON.parse(res.stdout) as { images: string[]; index?: string; digest?: string }) };
}

// Each `docker build --platform P` command's share of the log, by platform.
function logPerPlatform(stderr: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let current: string | undefined;
  for (const line of stderr.split('\n')) {
    const command = /^\$ (?:\S+=\S* )*docker build .*--platform (\S+)/.exec(line);
    if (command) current = command[1]!;
    else if (/^\$ /.test(line)) current = undefined;
    else if (current) (out[current] ??= []).push(line.replace(/^\[docker\] /, ''));
  }
  return out;
}

// Whether a platform's `cargo chef cook` step was CACHED: "#12 [builder 6/9] RUN … cargo chef cook …" then "#12 CACHED".
function cookCached(lines: readonly string[]): boolean {
  const step = lines.map((l) => /^#(\d+) \[builder [^\]]*\] RUN .*cargo chef cook/.exec(l)).find((m) => m)?.[1];
  return step !== undefined && lines.includes(`#${step} CACHED`);
}

describe('build --engine docker on examples/allowlist (a real dockerd)', () => {
  // The first build is shared: the first test checks what it pushed, the second edits a source
  // on top of it. Each test runs alone too (vitest -t), since the build is a hook, not a test.
  let first: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    first = await build();
  }, 3_600_000);

  test('one image per platform, pushed as REF-<arch>, and one index at REF; each platform answers HTTP', async () => {
    const { images, index, digest } = first;
    expect(images).toEqual(PLATFORMS.map((p) => `${tag()}-${p.split('/')[1]}`));
    expect(index).toBe(tag());
    const list = await exec('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${tag()}`]);
    expect(sha256Digest(list.stdout)).toBe(digest);
    // dockerd pushes Docker v2 manifests, so the index is a Docker manifest list.
    expect(JSON.parse(list.stdout)).toMatchObject({ mediaType: MEDIA_TYPE.DOCKER_MANIFEST_LIST });
    expect(await indexPlatforms(tag())).toEqual([...PLATFORMS]);
    for (const [i, platform] of PLATFORMS.entries()) {
      const { stdout } = await exec('skopeo', ['inspect', '--tls-verify=false', `docker://${images[i]}`]);
      const info = JSON.parse(stdout) as { Os: string; Architecture: string };
      expect(`${info.Os}/${info.Architecture}`).toBe(platform);
      await runAndCheck(images[i]!, platform, hexId('docker', i));
    }
  }, 3_600_000);

  test("a source-only edit rebuilds with each platform's cook step CACHED and no dependency recompiled", async () => {
    const main = join(project, 'src/main.rs');
    await writeFile(main, `${await readFile(main, 'utf8')}\n// edited by the docker engine rebuild test ${Date.now()}\n`);
    const { stderr } = await build();
    const perPlatform = logPerPlatform(stderr);
    expect(Object.keys(perPlatform).sort()).toEqual([...PLATFORMS]);
    for (const platform of PLATFORMS) expect({ platform, cached: cookCached(perPlatform[platform]!) }).toEqual({ platform, cached: true });
    expect(stderr).toMatch(/Compiling allowlist v0\.1\.0/);
    expect(stderr).not.toMatch(/Compiling allowlist v0\.0\.1/); // the recipe's skeleton: cook ran
    expect(stderr.match(/Compiling (\S+) v/g)?.filter((l) => l !== 'Compiling allowlist v') ?? []).toEqual([]);
    // The index now lists the rebuilt images: podman picks arm64 out of it.
    await runAndCheck(tag(), 'linux/arm64', hexId('docker', 2));
  }, 3_600_000);
});

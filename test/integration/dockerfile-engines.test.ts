// The whole Dockerfile path on the example: `build-static build --engine podman` and
// `--engine buildx` (a real buildkitd behind a remote-driver builder) build examples/allowlist
// through its rendered Dockerfile FROM the muslrust-chef image, for linux/amd64 + linux/arm64,
// and push one index each. Both platforms of both images then run under podman (arm64 under
// qemu) and answer HTTP. A source-only edit rebuilds with the cook layer taken from the cache.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cacheDir } from '../../scripts/src/core/fs.ts';
import { type BuildKit, startBuildKit } from '../helpers/buildkit.ts';
import { runCli } from '../helpers/cli.ts';
import { hexId, indexPlatforms, PLATFORMS, runAndCheck, startEngineFixture } from '../helpers/engine-images.ts';
import type { TestRegistry } from '../helpers/registry.ts';

const exec = promisify(execFile);

let registry: TestRegistry;
let buildkit: BuildKit;
let work: string;
let project: string;
let engineArgs: string[] = [];

// Runs `build-static build --engine …` and returns its stderr (the engine's output, prefixed).
async function engineBuild(
  engine: 'podman' | 'buildx',
  tag: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stderr: string; json: { digest?: string; images: string[] } }> {
  const res = await runCli(['build', project, '--engine', engine, ...engineArgs, '--tag', tag, '--push', '--json', ...extra], { env });
  if (res.code !== 0) {
    const errors = res.stderr.split('\n').filter((l) => /^build-static: error:|^\[(podman|buildx)\] (Error|ERROR|error)/.test(l));
    throw new Error(
      `build --engine ${engine} exited with ${res.code}: ${errors.join(' | ') || '(no error line)'}\n${res.stderr.slice(-6000)}`,
    );
  }
  return { stderr: res.stderr, json: JSON.parse(res.stdout) };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-engines-'));
  const fixture = await startEngineFixture(work, 'engines');
  registry = fixture.registry;
  project = fixture.project;
  // BuildKit's state (layers and cache mounts) is kept across runs, like podman's, so a warm
  // machine rebuilds only what changed.
  buildkit = await startBuildKit({
    insecureRegistries: [registry.host],
    stateDir: join(cacheDir(), 'buildkit-state', 'dockerfile-engines'),
  });
  engineArgs = ['--chef-image', fixture.chefImage, '--base', fixture.base, '--platform', PLATFORMS.join(',')];
}, 3_600_000);

afterAll(async () => {
  // What podman pulled or built for this run's registry (the layers stay shared with the cache).
  if (registry) {
    await exec('podman', ['manifest', 'rm', `${registry.host}/allowlist:podman`]).catch(() => undefined);
    const { stdout } = await exec('podman', ['images', '--format', '{{.ID}} {{.Repository}}']).catch(() => ({ stdout: '' }));
    const ids = stdout
      .split('\n')
      .filter((l) => l.split(' ')[1]?.startsWith(`${registry.host}/`))
      .map((l) => l.split(' ')[0]!);
    if (ids.length > 0) await exec('podman', ['rmi', '--force', ...new Set(ids)]).catch(() => undefined);
  }
  await buildkit?.dispose();
  await registry?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.each(['podman', 'buildx'] as const)('build --engine %s on examples/allowlist', (engine) => {
  const env = () => (engine === 'buildx' ? buildkit.env : process.env);
  const extra = () => (engine === 'buildx' ? ['--builder', buildkit.builder] : []);
  const tag = () => `${registry.host}/allowlist:${engine}`;

  // The first build is shared: the first test checks what it pushed, the second edits a source
  // on top of it. Each test runs alone too (vitest -t), since the build is a hook, not a test.
  let first: Awaited<ReturnType<typeof engineBuild>>;
  beforeAll(async () => {
    first = await engineBuild(engine, tag(), extra(), env());
  }, 3_600_000);

  test('one index with both platforms, each answers HTTP under podman', async () => {
    const { json } = first;
    expect(json.images).toEqual([tag()]);
    expect(json.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await indexPlatforms(tag())).toEqual([...PLATFORMS]);
    for (const [i, platform] of PLATFORMS.entries()) await runAndCheck(tag(), platform, hexId(engine, i));
  }, 3_600_000);

  test('a source-only edit rebuilds with the cook step cached', async () => {
    const main = join(project, 'src/main.rs');
    await writeFile(main, `${await readFile(main, 'utf8')}\n// edited by the ${engine} rebuild test ${Date.now()}\n`);
    const { stderr } = await engineBuild(engine, tag(), extra(), env());
    expect(await cookCachedPerPlatform(engine, stderr)).toEqual(Object.fromEntries(PLATFORMS.map((p) => [p, true])));
    // The cook step did not run anywhere: it would have compiled the recipe's skeleton (v0.0.1).
    expect(stderr).not.toMatch(/Compiling allowlist v0\.0\.1/);
    expect(stderr.match(/Compiling (\S+) v/g)?.filter((l) => !/Compiling allowlist v/.test(l)) ?? []).toEqual([]);
    expect(compiledAllowlist(stderr)).toBe(true);
    await runAndCheck(tag(), 'linux/arm64', hexId(engine, 2));
  }, 3_600_000);
});

// Whether each platform's `cargo chef cook` step came from the cache, read from the engine's log.
async function cookCachedPerPlatform(engine: 'podman' | 'buildx', stderr: string): Promise<Record<string, boolean>> {
  const lines = stderr.split('\n').map((l) => l.replace(/^\[(podman|buildx)\] /, ''));
  const out: Record<string, boolean> = Object.fromEntries(PLATFORMS.map((p) => [p, false]));
  if (engine === 'buildx') {
    for (const platform of PLATFORMS) {
      const arch = platform.split('/')[1]!;
      // "#12 [linux/amd64->arm64 builder 4/7] RUN --mount=… cargo chef cook …" then "#12 CACHED".
      const step = lines
        .map((l) => new RegExp(`^#(\\d+) \\[[^\\]]*(->${arch}|linux/${arch}) builder [^\\]]*\\] RUN .*cargo chef cook`).exec(l))
        .find((m) => m)?.[1];
      out[platform] = step !== undefined && lines.includes(`#${step} CACHED`);
    }
    return out;
  }
  // podman builds the platforms concurrently and its "--> Using cache ID" lines carry no platform,
  // so each cached image is asked what it is: the cook step's history names its TARGETPLATFORM.
  for (const id of new Set([...stderr.matchAll(/--> Using cache ([0-9a-f]{12,64})/g)].map((m) => m[1]!))) {
    const { stdout } = await exec('podman', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', id]);
    const top = stdout.split('\n')[0] ?? '';
    const platform = /TARGETPLATFORM=(\S+) /.exec(top)?.[1];
    if (platform && /cargo chef cook/.test(top)) out[platform] = true;
  }
  return out;
}

function compiledAllowlist(stderr: string): boolean {
  return /Compiling allowlist v0\.1\.0/.test(stderr);
}

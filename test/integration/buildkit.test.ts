// Proves the two Dockerfile engines on this machine with a tiny Dockerfile shaped like the ones
// `build-static dockerfile` renders: a build stage `FROM --platform=$BUILDPLATFORM` with a cache
// mount whose id holds ${TARGETPLATFORM}, and a final stage on the static-base stand-in with a
// file owned 65532, mode 0555. Built for linux/amd64 + linux/arm64 by a real buildkitd through a
// remote-driver buildx builder, and by podman --manifest; both pushed to a real registry.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { machine, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appendLayers, emptyImage, imageIndex, layerEntries, layerFromEntries } from '../../scripts/src/oci/index.ts';
import { pull } from '../../scripts/src/oci/registry/index.ts';
import { staticBaseIndex } from '../../scripts/src/core/image/static-base.ts';
import { pushOutput } from '../../scripts/src/core/image/outputs.ts';
import { hostPlatform } from '../../scripts/src/core/platform.ts';
import { type BuildKit, startBuildKit } from '../helpers/buildkit.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';

const exec = promisify(execFile);
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => exec(cmd, args, { env, maxBuffer: 64 << 20 });

// Appends "<TARGETPLATFORM> built on <machine>" to the cache file and copies it to OUT/log: the
// cache mount's content and the machine the compile stage ran on, carried into the image.
const PROBE_C = `#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
int main(int argc, char **argv) {
  struct utsname u; char buf[4096]; size_t n; char out[512];
  if (argc != 3 || uname(&u) != 0) return 2;
  const char *target = getenv("TARGETPLATFORM");
  FILE *log = fopen(argv[1], "a"); if (!log) return 3;
  fprintf(log, "%s built on %s\\n", target ? target : "(none)", u.machine); fclose(log);
  mkdir(argv[2], 0755); snprintf(out, sizeof out, "%s/log", argv[2]);
  FILE *in = fopen(argv[1], "r"), *dst = fopen(out, "w"); if (!in || !dst) return 4;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, dst);
  fclose(in); fclose(dst); return 0;
}
`;

const DOCKERFILE = `# check=skip=RedundantTargetPlatform
ARG TOOLS
ARG BASE
FROM --platform=$BUILDPLATFORM \${TOOLS} AS build
ARG TARGETPLATFORM
ARG CACHE_ID
ARG BUILD_NO
RUN --mount=type=cache,id=bs-probe-\${CACHE_ID}-\${TARGETPLATFORM},target=/cache,sharing=locked ["/probe", "/cache/log", "/out"]

FROM --platform=$TARGETPLATFORM \${BASE}
COPY --from=build --chown=65532:65532 --chmod=0555 /out/log /build-log
`;

let registry: TestRegistry;
let buildkit: BuildKit;
let work: string;
let base = '';
let tools = '';
const cacheId = `${process.pid}-${Date.now()}`;
const host = hostPlatform()!;

// The platforms in a pushed index (attestation entries left out) and each one's /build-log.
async function pushedLogs(ref: string): Promise<{ platforms: string[]; logs: Record<string, { text: string; uid: number; mode: number }> }> {
  const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
  const index = JSON.parse(stdout) as { manifests: Array<{ platform?: { os: string; architecture: string } }> };
  const platforms = index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).filter((p) => p !== 'unknown/unknown');
  const logs: Record<string, { text: string; uid: number; mode: number }> = {};
  for (const platform of platforms) {
    const image = await pull(ref, { platform, layers: true });
    const last = image.layers.at(-1)!;
    const entry = (await layerEntries(last.bytes)).find((e) => e.path === 'build-log');
    if (!entry) throw new Error(`${ref} ${platform}: no /build-log in the last layer`);
    logs[platform] = { text: new TextDecoder().decode(entry.data), uid: entry.uid, mode: entry.mode };
  }
  return { platforms: platforms.sort(), logs };
}

function expectLogs(result: Awaited<ReturnType<typeof pushedLogs>>, builds: number): void {
  expect(result.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  for (const platform of result.platforms) {
    // Compiled on the host (no QEMU), and each platform's cache mount holds only its own runs.
    expect(result.logs[platform]!.text).toBe(`${platform} built on ${machine()}\n`.repeat(builds));
    expect(result.logs[platform]!.uid).toBe(65532);
    expect(result.logs[platform]!.mode & 0o7777).toBe(0o555);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-buildkit-test-'));
  registry = await startRegistry();
  buildkit = await startBuildKit({ insecureRegistries: [registry.host] });
  base = `${registry.host}/chainguard/static:latest`;
  await pushOutput(await staticBaseIndex(), base, {});
  await writeFile(join(work, 'probe.c'), PROBE_C);
  await run('musl-gcc', ['-static', '-O2', '-o', join(work, 'probe'), join(work, 'probe.c')]);
  const layer = await layerFromEntries([{ type: 'file', path: 'probe', data: new Uint8Array(await readFile(join(work, 'probe'))), mode: 0o755 }], { epoch: 0 });
  tools = `${registry.host}/probe-tools:latest`;
  await pushOutput(imageIndex([appendLayers(emptyImage({ os: 'linux', architecture: host.arch }), [layer])]), tools, {});
  await mkdir(join(work, 'ctx'));
  await writeFile(join(work, 'Dockerfile'), DOCKERFILE);
}, 300_000);

afterAll(async () => {
  await buildkit?.dispose();
  await registry?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

const args = (buildNo: number) => ['--build-arg', `TOOLS=${tools}`, '--build-arg', `BASE=${base}`, '--build-arg', `CACHE_ID=${cacheId}`, '--build-arg', `BUILD_NO=${buildNo}`];

describe('BuildKit through docker buildx (remote driver)', () => {
  test('one multi-platform index; the compile stage runs on the host; per-platform cache mounts persist', async () => {
    const ref = `${registry.host}/probe/buildx:latest`;
    for (const buildNo of [1, 2]) {
      const argv = ['buildx', 'build', '--builder', buildkit.builder, '--progress=plain', '--platform', 'linux/amd64,linux/arm64', '-f', join(work, 'Dockerfile'), ...args(buildNo), '--tag', ref, '--push', join(work, 'ctx')];
      const res = await run('docker', argv, buildkit.env).catch((e: { stderr?: string }) => {
        throw new Error(`docker buildx build failed:\n${e.stderr?.slice(-4000)}\nbuildkitd:\n${buildkit.output().slice(-3000)}`);
      });
      // BuildKit expands the build arg inside the mount id (the per-platform cache).
      expect(res.stderr).toContain(`id=bs-probe-${cacheId}-linux/arm64`);
      expect(res.stderr).toMatch(new RegExp(`\\[linux/${host.arch}->arm64 build`));
      expectLogs(await pushedLogs(ref), buildNo);
    }
  }, 600_000);
});

describe('podman --manifest', () => {
  test('the same Dockerfile: one index with both platforms, compiled on the host, per-platform caches', async () => {
    const name = `localhost/bs-probe-${cacheId}:latest`;
    const ref = `${registry.host}/probe/podman:latest`;
    try {
      for (const buildNo of [1, 2]) {
        await run('podman', ['manifest', 'rm', name]).catch(() => undefined);
        const argv = ['build', '--platform', 'linux/amd64,linux/arm64', '--manifest', name, '--build-arg', `BUILDPLATFORM=${host.id}`, '--label', `bs-probe=${cacheId}`, '--tls-verify=false', '-f', join(work, 'Dockerfile'), ...args(buildNo), join(work, 'ctx')];
        await run('podman', argv).catch((e: { stderr?: string; stdout?: string }) => {
          throw new Error(`podman build failed:\n${e.stdout?.slice(-2000)}\n${e.stderr?.slice(-4000)}`);
        });
        await run('podman', ['manifest', 'push', '--all', '--tls-verify=false', name, `docker://${ref}`]);
        expectLogs(await pushedLogs(ref), buildNo);
      }
    } finally {
      await run('podman', ['manifest', 'rm', name]).catch(() => undefined);
      const built = (await run('podman', ['images', '-a', '-q', '--filter', `label=bs-probe=${cacheId}`])).stdout.split('\n').filter((id) => id !== '');
      await run('podman', ['rmi', '--force', ...new Set(built), tools, base]).catch(() => undefined);
      await rm(`/var/tmp/buildah-cache/bs-probe-${cacheId}-linux`, { recursive: true, force: true });
    }
  }, 600_000);
});

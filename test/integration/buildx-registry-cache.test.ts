// The scale-out path of the Dockerfile: two BuildKit builders that share nothing but a registry.
// Builder A (fresh state) builds examples/allowlist for linux/arm64 with
// `build --engine buildx --cache-ref REF`, which exports the build cache to a local
// docker-registry. After a source-only edit, builder B (another fresh state, like a new CI runner
// or a remote builder) rebuilds with the same --cache-ref: the cook step must come from the
// registry cache and no dependency may compile — which needs `--cargo-cache layer` (implied by
// --cache-ref): BuildKit never exports cache mounts. The image then runs under qemu.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BuildKit, startBuildKit } from '../helpers/buildkit.ts';
import { runCli } from '../helpers/cli.ts';
import { hexId, runAndCheck, startEngineFixture } from '../helpers/engine-images.ts';
import type { TestRegistry } from '../helpers/registry.ts';

let registry: TestRegistry;
let work: string;
let project: string;
let args: string[] = [];
const builders: BuildKit[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-registry-cache-'));
  const fixture = await startEngineFixture(work, 'registry-cache');
  registry = fixture.registry;
  project = fixture.project;
  const tag = `${registry.host}/allowlist:registry-cache`;
  args = ['--engine', 'buildx', '--chef-image', fixture.chefImage, '--base', fixture.base, '--platform', 'linux/arm64', '--tag', tag, '--push', '--cache-ref', `${registry.host}/allowlist:buildcache`, '--json'];
}, 3_600_000);

afterAll(async () => {
  for (const b of builders) await b.dispose();
  await registry?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

// A builder with a state dir of its own (a temp dir: nothing cached locally) builds the project.
async function buildOnFreshBuilder(): Promise<string> {
  const buildkit = await startBuildKit({ insecureRegistries: [registry.host] });
  builders.push(buildkit);
  const res = await runCli(['build', project, ...args, '--builder', buildkit.builder], { env: buildkit.env });
  if (res.code !== 0) throw new Error(`build --engine buildx exited with ${res.code}:\n${res.stderr.slice(-6000)}`);
  return res.stderr;
}

// Whether the cook step came from a cache: BuildKit says "#14 CACHED" for its own cache; for a
// step found in an imported registry cache it pulls the layer ("#14 extracting sha256:…") and runs
// nothing — no line of process output ("#14 0.325 …") at all.
function cookFromCache(stderr: string): boolean {
  const lines = stderr.split('\n').map((l) => l.replace(/^\[buildx\] /, ''));
  const step = lines.map((l) => /^#(\d+) \[[^\]]*builder [^\]]*\] RUN .*cargo chef cook/.exec(l)).find((m) => m)?.[1];
  if (step === undefined) return false;
  const own = lines.filter((l) => l.startsWith(`#${step} `));
  if (own.includes(`#${step} CACHED`)) return true;
  const ran = own.some((l) => new RegExp(`^#${step} \\d+\\.\\d+ `).test(l));
  return !ran && own.some((l) => /extracting sha256:/.test(l)) && own.some((l) => /DONE/.test(l));
}

describe('build --engine buildx --cache-ref: a fresh builder reuses the dependencies through the registry', () => {
  test('builder A compiles everything and exports the cache; builder B, after a source edit, compiles only allowlist', async () => {
    const first = await buildOnFreshBuilder();
    expect(cookFromCache(first)).toBe(false);
    expect(first).toMatch(/Compiling serde v/); // a cold builder really compiled the dependencies
    await builders.pop()!.dispose();

    const main = join(project, 'src/main.rs');
    await writeFile(main, `${await readFile(main, 'utf8')}\n// edited by the registry cache test ${Date.now()}\n`);
    const second = await buildOnFreshBuilder();
    expect(cookFromCache(second)).toBe(true);
    expect(second).not.toMatch(/Compiling allowlist v0\.0\.1/); // the recipe's skeleton: cook ran
    expect(second).toMatch(/Compiling allowlist v0\.1\.0/);
    expect(second.match(/Compiling (\S+) v/g)?.filter((l) => l !== 'Compiling allowlist v') ?? []).toEqual([]);
    await runAndCheck(`${registry.host}/allowlist:registry-cache`, 'linux/arm64', hexId('buildx', 7));
  }, 3_600_000);
});

// `build-static build --engine …` from the command line: dry runs print the exact commands and
// keep the rendered Dockerfile (the same text `dockerfile` prints, never in the project), bad
// flag combinations are one line and exit 2, a missing engine CLI is exit 3.
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function project(): Promise<string> {
  const dir = await new CargoWorkspace().binPackage('.', 'hello').build('bs-engine-cli-');
  dirs.push(dir);
  return dir;
}

interface DryRun {
  index?: string;
  ok: boolean;
  dryRun: boolean;
  engine: string;
  dockerfile: string;
  context: string;
  tag: string;
  images: string[];
  plan: Array<{ argv: string[]; env: Record<string, string>; cwd: string; allowFailure?: boolean }>;
}

async function dryRun(args: string[]): Promise<DryRun> {
  const res = await runCli(['build', ...args, '--dry-run', '--json']);
  expect(res.code, res.stderr).toBe(0);
  const json = JSON.parse(res.stdout) as DryRun;
  dirs.push(dirname(json.dockerfile));
  return json;
}

const engineTemps = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('build-static-engine-')).sort();

describe('build --engine --dry-run', () => {
  test.each([
    ['buildx', ['--builder', 'bk', '--tag', '127.0.0.1:5000/hello:1', '--push'], [['docker', 'buildx', 'build']]],
    ['docker', ['--tag', 'hello:1'], [['docker', 'build'], ['docker', 'build']]],
    ['podman', ['--tag', '127.0.0.1:5000/hello:1', '--push'], [['podman', 'rmi', '--ignore'], ['podman', 'build'], ['podman', 'manifest', 'push']]],
  ])('%s: the exact commands, the Dockerfile in a kept temp dir', async (engine, extra, commands) => {
    const dir = await project();
    const json = await dryRun([dir, '--engine', engine, ...extra]);
    expect(json).toMatchObject({ ok: true, dryRun: true, engine, context: dir });
    expect(json.plan.map((s, i) => s.argv.slice(0, commands[i]!.length))).toEqual(commands);
    expect(json.dockerfile.startsWith(tmpdir())).toBe(true);
    for (const step of json.plan.filter((s) => s.argv.includes('build'))) expect(step.argv).toContain(json.dockerfile);
    const printed = await runCli(['dockerfile', dir]);
    expect(await readFile(json.dockerfile, 'utf8')).toBe(printed.stdout);
    expect(await readFile(`${json.dockerfile}.dockerignore`, 'utf8')).toContain('\ntarget\n');
    expect(await readdir(dir)).toEqual(['Cargo.toml', 'src']);
  });

  test('--engine-arg=--network=host reaches each docker build command as one word', async () => {
    const dir = await project();
    const json = await dryRun([dir, '--engine', 'docker', '--engine-arg=--network=host']);
    const builds = json.plan.filter((s) => s.argv[1] === 'build');
    expect(builds).toHaveLength(2);
    for (const step of builds) expect(step.argv.filter((a) => a === '--network=host')).toHaveLength(1);
  });

  test('docker with --push: the per-platform pushes, then the index build-static writes', async () => {
    const dir = await project();
    const json = await dryRun([dir, '--engine', 'docker', '--tag', '127.0.0.1:5000/hello:1', '--push']);
    expect(json).toMatchObject({ images: ['127.0.0.1:5000/hello:1-amd64', '127.0.0.1:5000/hello:1-arm64'], index: '127.0.0.1:5000/hello:1' });
    const res = await runCli(['build', dir, '--engine', 'docker', '--tag', '127.0.0.1:5000/hello:1', '--push', '--dry-run']);
    const lines = res.stdout.trim().split('\n');
    dirs.push(/Dockerfile (\S+)\/Dockerfile/.exec(lines[0]!)![1]!);
    expect(lines.at(-2)).toMatch(/ docker push 127\.0\.0\.1:5000\/hello:1-arm64$/);
    expect(lines.at(-1)).toBe('# then build-static writes the index 127.0.0.1:5000/hello:1 of 127.0.0.1:5000/hello:1-amd64, 127.0.0.1:5000/hello:1-arm64 (registry API)');
  });

  test('human output: one pasteable line per command, the stale-tag removal marked || true', async () => {
    const dir = await project();
    const res = await runCli(['build', dir, '--engine', 'podman', '--dry-run']);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.split('\n');
    dirs.push(/Dockerfile (\S+)\/Dockerfile/.exec(lines[0]!)![1]!);
    expect(lines[0]).toMatch(/^# podman: Dockerfile \S+\/Dockerfile \(kept for this dry run\), build context /);
    expect(lines[1]).toBe(`cd ${dir} && podman rmi --ignore localhost/hello:latest || true`);
    expect(lines[2]).toMatch(new RegExp(`^cd ${dir} && podman build --platform linux/amd64,linux/arm64 --manifest localhost/hello:latest --build-arg BUILDPLATFORM=linux/\\w+ -f \\S+/Dockerfile `));
  });
});

describe('build --engine: bad input and missing tools', () => {
  test.each([
    [['--engine', 'podman', '--builder', 'bk'], '--builder picks a docker buildx builder: it needs --engine buildx, not podman'],
    [['--tag', 'hello:1'], '--tag needs --engine buildx|docker|podman'],
    [['--engine', 'buildx', '--out', 'x'], '--out applies to the native build only'],
    [['--engine', 'buildx', '--allocator', 'mimalloc'], '--allocator applies to the native build only'],
    [['--engine', 'buildx', '--push'], '--push needs --tag'],
    [['--engine', 'docker', '--insecure-registry', 'h:5000'], '--insecure-registry cannot be passed to a Docker engine build'],
    [['--engine', 'nerdctl'], 'unknown engine "nerdctl"'],
  ])('%j: one line, exit 2, no temp files', async (args, message) => {
    const dir = await project();
    const before = await engineTemps();
    const res = await runCli(['build', dir, ...args]);
    expect(res.code).toBe(2);
    expect(errorLines(res.stderr)).toHaveLength(1);
    expect(errorLines(res.stderr)[0]).toContain(message);
    expect(res.stdout).toBe('');
    expect(await engineTemps()).toEqual(before);
  });

  test('without docker on PATH, --engine buildx is exit 3 and leaves no temp dir', async () => {
    const dir = await project();
    const cargoDir = dirname((await runCli(['build', dir, '--dry-run', '--json', '--platform', 'linux/amd64'])).stdout.match(/"argv":\["([^"]+\/cargo)"/)?.[1] ?? '/usr/bin/cargo');
    const before = await engineTemps();
    const res = await runCli(['build', dir, '--engine', 'buildx'], { env: { ...process.env, PATH: cargoDir } });
    expect(res.code, res.stderr).toBe(3);
    expect(errorLines(res.stderr)).toEqual(['build-static: error: docker is not on PATH: install it (./setup.sh installs podman; docker needs the Docker CLI)']);
    expect(await engineTemps()).toEqual(before);
  });
});

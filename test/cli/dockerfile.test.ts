// `build-static dockerfile` as users run it: the committed example stays in sync with the
// renderer, --out writes both files or nothing, bad input is one line and exit 2.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { errorLines, REPO, runCli } from '../helpers/cli.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function project(ws = new CargoWorkspace().binPackage('.', 'hello')): Promise<string> {
  const dir = await ws.build('bs-dockerfile-cli-');
  dirs.push(dir);
  return dir;
}

describe('build-static dockerfile', () => {
  test('the committed examples/allowlist/Dockerfile and .dockerignore are what the command renders', async () => {
    const res = await runCli(['dockerfile', 'examples/allowlist', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const json = JSON.parse(res.stdout) as { dockerfile: string; dockerignore: string; context: string };
    expect(json.context).toBe(join(REPO, 'examples/allowlist'));
    const regenerate = 'regenerate with: node scripts/dist/cli/main.js dockerfile examples/allowlist --out examples/allowlist/Dockerfile --force';
    expect(await readFile(join(REPO, 'examples/allowlist/Dockerfile'), 'utf8'), regenerate).toBe(json.dockerfile);
    expect(await readFile(join(REPO, 'examples/allowlist/.dockerignore'), 'utf8'), regenerate).toBe(json.dockerignore);
    expect(json.dockerfile).toContain('FROM --platform=$BUILDPLATFORM ${MUSLRUST_CHEF_ORG}/muslrust-chef:${MUSLRUST_CHEF_TAG} AS chef');
  });

  test('prints the Dockerfile on stdout by default, with the build args from the flags', async () => {
    const dir = await project();
    const res = await runCli(['dockerfile', dir, '--chef-image', '127.0.0.1:5000/acme/muslrust-chef:v2', '--base', '127.0.0.1:5000/static:latest', '--profile', 'dev']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('ARG MUSLRUST_CHEF_ORG=127.0.0.1:5000/acme\nARG MUSLRUST_CHEF_TAG=v2\nARG BASE_IMAGE=127.0.0.1:5000/static:latest\n');
    expect(res.stdout).toContain('cargo build --target "$(target-triple)" --profile dev --package hello --bin hello \\\n && get-executable hello /out/hello --profile dev');
    expect(await readdir(dir)).toEqual(['Cargo.toml', 'src']);
  });

  test('--out writes the Dockerfile and a .dockerignore beside it; other content needs --force', async () => {
    const dir = await project();
    const out = join(dir, 'Dockerfile');
    const first = await runCli(['dockerfile', dir, '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const printed = await runCli(['dockerfile', dir]);
    expect(await readFile(out, 'utf8')).toBe(`${printed.stdout}`);
    expect(await readFile(join(dir, '.dockerignore'), 'utf8')).toContain('\ntarget\n');

    expect((await runCli(['dockerfile', dir, '--out', out])).code).toBe(0);
    await writeFile(join(dir, '.dockerignore'), 'mine\n');
    const refused = await runCli(['dockerfile', dir, '--out', out]);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)).toEqual([`build-static: error: --out's .dockerignore "${join(dir, '.dockerignore')}" already exists and is not build-static's own output (it has other content): choose a new path, or pass --force to replace it`]);
    expect(await readFile(out, 'utf8')).toBe(printed.stdout);
    expect(await readFile(join(dir, '.dockerignore'), 'utf8')).toBe('mine\n');

    const forced = await runCli(['dockerfile', dir, '--out', out, '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    const json = JSON.parse(forced.stdout) as { written: { dockerfile: string; dockerignore: string } };
    expect(json.written).toEqual({ dockerfile: out, dockerignore: join(dir, '.dockerignore') });
    expect(await readFile(join(dir, '.dockerignore'), 'utf8')).not.toBe('mine\n');
  });

  test('--help describes the stages', async () => {
    const res = await runCli(['dockerfile', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Usage: build-static dockerfile/);
    expect(res.stdout).toMatch(/no QEMU/);
  });

  test.each([
    ['not a Cargo project', async () => [tmpdir()], /no Cargo\.toml in /],
    ['--force without --out', async () => [await project(), '--force'], /--force only applies with --out FILE/],
    ['a bad --chef-image', async () => [await project(), '--chef-image', 'acme/rust:1'], /--chef-image must be ORG\/muslrust-chef\[:TAG\]/],
    ['an unknown --bin', async () => [await project(), '--bin', 'nope'], /no binary named "nope": available binaries are hello/],
    [
      'several packages and no --bin',
      async () => [await project(new CargoWorkspace().manifest('.', '[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n').binPackage('a', 'a').binPackage('b', 'b'))],
      /an image has one entrypoint and the binaries a, b come from several packages: pass --bin/,
    ],
    ['an oci-layout base', async () => [await project(), '--base', 'oci-layout:/tmp/x'], /a Dockerfile cannot start FROM oci-layout:\/tmp\/x/],
  ])('%s: one line, exit 2, nothing written', async (_name, args, message) => {
    const argv = await args();
    const out = await mkdtemp(join(tmpdir(), 'bs-dockerfile-out-'));
    dirs.push(out);
    const res = await runCli(['dockerfile', ...argv, ...(argv.includes('--force') ? [] : ['--out', join(out, 'Dockerfile')])]);
    expect(res.code).toBe(2);
    expect(errorLines(res.stderr)).toHaveLength(1);
    expect(errorLines(res.stderr)[0]).toMatch(message);
    expect(res.stdout).toBe('');
    expect(await readdir(out)).toEqual([]);
  });
});

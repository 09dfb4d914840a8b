// The built CLI runs unchanged under Deno 2 (installed from the npm registry by setup.sh):
// help, a planning run that spawns cargo through the subprocess module, and a bad-input exit code.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const cache = process.env.BUILD_STATIC_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'build-static');
const DENO = join(cache, 'deno', 'node_modules', '@deno', 'linux-x64-glibc', 'deno');

function deno(): string[] {
  if (!existsSync(DENO)) throw new Error(`Deno is not installed at ${DENO}: run ./setup.sh (it installs @deno/linux-x64-glibc from the npm registry)`);
  return [DENO, 'run', '--allow-all'];
}

test('deno: --help', async () => {
  const result = await runCli(['build', '--help'], { runtime: deno() });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('Usage: build-static build [DIR] [options]');
});

test('deno: build --dry-run --json plans both platforms', async () => {
  const result = await runCli(['build', 'examples/allowlist', '--dry-run', '--json'], { runtime: deno() });
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as { plan: Array<{ platforms: string[]; argv: string[] }> };
  // One cargo builds both platforms when they can share it: the plan's steps cover both.
  expect(json.plan.flatMap((s) => s.platforms)).toEqual(['linux/amd64', 'linux/arm64']);
  expect(json.plan.flatMap((s) => s.argv)).toContain('aarch64-unknown-linux-musl');
});

test('deno: bad input exits 2 with one line', async () => {
  const result = await runCli(['build', await mkdtemp(join(tmpdir(), 'bs-deno-'))], { runtime: deno() });
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toMatch(/^build-static: error: no Cargo\.toml in /);
});

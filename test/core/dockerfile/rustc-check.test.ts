// The Dockerfile's rust-version check, run by a real sh against fake `rustc` scripts on PATH
// (fault injection: each prints the version a chef image might have).
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../../../scripts/src/core/config.ts';
import { renderDockerfile, rustcCheck } from '../../../scripts/src/core/dockerfile/render.ts';

const required = { version: '1.96', package: 'app' };

// The shell command of the check's RUN, continuations joined, as the image's /bin/sh gets it.
function checkCommand(): string {
  const run = rustcCheck(required)[1] ?? '';
  return run.replace(/ \\\n\s*/g, ' ').replace(/^RUN /, '');
}

async function fakeRustc(version: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-fake-rustc-'));
  await writeFile(join(dir, 'rustc'), `#!/bin/sh\necho "rustc ${version} (0000000 2026-01-01)"\n`);
  await chmod(join(dir, 'rustc'), 0o755);
  return dir;
}

describe('rustcCheck', () => {
  test.each([
    ['1.96.0', true],
    ['1.96.1', true],
    ['1.100.0', true],
    ['1.97.0-nightly', true],
    ['1.95.0', false],
    ['1.9.0', false],
  ])('rustc %s in the image: passes %s', async (version, passes) => {
    const bin = await fakeRustc(version);
    const res = spawnSync('sh', ['-c', checkCommand()], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    expect(res.status === 0).toBe(passes);
    if (!passes) {
      expect(res.stderr.trim().split('\n')).toEqual([`build-static: rustc ${version} in the chef image is older than rust-version 1.96 of app: use a muslrust-chef tag with rustc >= 1.96 (--build-arg MUSLRUST_CHEF_TAG=...)`]);
    }
  });

  test('in the chef stage, before the planner copies anything, only when the project sets rust-version', () => {
    const base = { config: resolveConfig([{}]), binaries: [{ package: 'app', name: 'app', manifestPath: '/src/Cargo.toml', requiredFeatures: [] }], lockfile: true };
    const text = renderDockerfile({ ...base, rustVersion: required });
    const lines = text.split('\n');
    const check = lines.findIndex((l) => l.startsWith('RUN have="$(rustc --version'));
    expect(check).toBeGreaterThan(lines.findIndex((l) => l.endsWith(' AS chef')));
    expect(check).toBeLessThan(lines.indexOf('FROM chef AS planner'));
    expect(renderDockerfile(base)).not.toMatch(/rustc --version/);
  });
});

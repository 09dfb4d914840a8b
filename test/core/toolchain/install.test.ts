// The toolchain install steps: their argv as data (what --dry-run shows), and the runner's retry
// with backoff, driven by real shell commands that fail on purpose (fault injection).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isBuildStaticError } from '../../../scripts/src/errors.ts';
import { runSetupSteps, rustupInstallSteps, rustupToolchainFor, type SetupStep } from '../../../scripts/src/core/toolchain/install.ts';

const noWait = async (ms: number) => void waits.push(ms);
let waits: number[] = [];

// A step that fails (with `message` on stderr) until it has run `failures` times, counting runs in a file.
async function flakyStep(failures: number, message: string, permanent?: string): Promise<{ step: SetupStep; runs: () => Promise<number> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-setup-'));
  const count = join(dir, 'runs');
  const script = `n=$(cat ${count} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${count}; if [ $n -le ${failures} ]; then echo "${message}" >&2; exit 1; fi`;
  const step: SetupStep = { argv: ['sh', '-c', script], failure: 'rust-version 1.96 of app needs rustc >= 1.96, but rustup cannot install rustc 1.96', attempts: 3, ...(permanent ? { permanent } : {}) };
  return { step, runs: async () => Number((await readFile(count, 'utf8')).trim()) };
}

describe('rustupInstallSteps', () => {
  test('a minimal toolchain, then the musl std of each target, each retried', () => {
    const steps = rustupInstallSteps('1.96', ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'], 'rust-version 1.96 of app needs rustc >= 1.96');
    expect(steps.map((s) => s.argv.join(' '))).toEqual([
      'rustup toolchain install 1.96 --profile minimal --no-self-update',
      'rustup target add --toolchain 1.96 x86_64-unknown-linux-musl aarch64-unknown-linux-musl',
    ]);
    expect(steps.every((s) => s.attempts > 1)).toBe(true);
  });

  test('the toolchain it will create is named before it exists, under RUSTUP_HOME', () => {
    const tc = rustupToolchainFor('1.96', { RUSTUP_HOME: '/opt/rustup' }, 'arm64');
    expect(tc.cargo).toBe('/opt/rustup/toolchains/1.96-aarch64-unknown-linux-gnu/bin/cargo');
    expect(tc.rustupName).toBe('1.96-aarch64-unknown-linux-gnu');
  });
});

describe('runSetupSteps', () => {
  test('a transient failure is retried with growing waits, then succeeds', async () => {
    waits = [];
    const { step, runs } = await flakyStep(2, 'error: could not download file: connection reset');
    const lines: string[] = [];
    await runSetupSteps([step], { sleep: noWait, onLine: (l) => lines.push(l) });
    expect(await runs()).toBe(3);
    expect(waits).toEqual([2000, 4000]);
    expect(lines.filter((l) => /retrying/.test(l))).toHaveLength(2);
  });

  test('still failing after the last attempt: one TOOLCHAIN_MISSING line with the tool\'s error', async () => {
    waits = [];
    const { step, runs } = await flakyStep(9, 'error: could not download file: connection reset');
    const error = await runSetupSteps([step], { sleep: noWait }).catch((e: unknown) => e);
    expect(isBuildStaticError(error) && error.code).toBe('TOOLCHAIN_MISSING');
    expect((error as Error).message).toBe('rust-version 1.96 of app needs rustc >= 1.96, but rustup cannot install rustc 1.96 (could not download file: connection reset): install a rustc that satisfies it, or lower rust-version');
    expect(await runs()).toBe(3);
  });

  test('a permanent failure (no such version) is not retried', async () => {
    waits = [];
    const { step, runs } = await flakyStep(9, 'error: could not download nonexistent rust version 1.999-x86_64-unknown-linux-gnu', 'nonexistent rust version');
    await expect(runSetupSteps([step], { sleep: noWait })).rejects.toThrow(/nonexistent rust version 1\.999/);
    expect(await runs()).toBe(1);
    expect(waits).toEqual([]);
  });

  test('a missing rustup says so', async () => {
    const step: SetupStep = { argv: ['rustup-that-does-not-exist', 'toolchain', 'install', '1.96'], failure: 'cannot install rustc 1.96', attempts: 3 };
    await expect(runSetupSteps([step], { sleep: noWait })).rejects.toThrow(/cannot install rustc 1\.96 \(rustup-that-does-not-exist is not installed\)/);
  });
});

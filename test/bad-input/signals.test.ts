// Ctrl-C and SIGTERM during a real build: the CLI prints one "interrupted" line, exits 130/143, and
// no process of that build survives — cargo, rustc and the build script's own child are ended as
// a process group. The crate's build.rs runs `sleep <marker>`, so /proc shows exactly what is left.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { CLI, REPO } from '../helpers/cli.ts';
import { APP_LOCK, put, USER_FILES } from './fixtures.ts';
import { expectUntouched, snapshot } from './harness.ts';

const BUILD_RS = `fn main() {
    let marker = std::env::var("SLEEPY_MARKER").unwrap();
    std::process::Command::new("sleep").arg(marker).status().unwrap();
}
`;

// Command lines of every process whose argv mentions `needle`.
async function processesWith(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) found.push(`${pid}: ${cmdline.replace(/\0/g, ' ')}`);
  }
  return found;
}

async function interruptBuild(signal: 'SIGINT' | 'SIGTERM', extra: string[] = [], wholeGroup = false) {
  const dir = await mkdtemp(join(tmpdir(), 'bs-sleepy-'));
  await put(dir, { 'Cargo.toml': '[package]\nname = "sleepy"\nversion = "0.1.0"\nedition = "2021"\n', 'build.rs': BUILD_RS, 'src/main.rs': 'fn main() {}\n', 'Cargo.lock': APP_LOCK.replace('"app"', '"sleepy"'), ...USER_FILES });
  const marker = String(600_000 + Math.floor(Math.random() * 300_000));
  const before = await snapshot(dir);
  const child = spawn(process.execPath, [CLI, 'build', dir, '--platform', 'linux/amd64', ...extra], { cwd: REPO, env: { ...process.env, SLEEPY_MARKER: marker }, stdio: ['ignore', 'pipe', 'pipe'], detached: wholeGroup });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  while ((await processesWith(`sleep\0${marker}`)).length === 0) {
    if (child.exitCode !== null) throw new Error(`the build ended before its build script ran:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the build script never started:\n${stderr}`);
    await sleep(100);
  }
  // A terminal's Ctrl-C signals the whole foreground process group, not only build-static.
  if (wholeGroup) process.kill(-child.pid!, signal);
  else child.kill(signal);
  const code = await exited;
  return { dir, marker, code, stdout, stderr, before, survivors: [...(await processesWith(`sleep\0${marker}`)), ...(await processesWith(dir))] };
}

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during a build: "interrupted", exit %i, no process left', async (signal, exit) => {
  const r = await interruptBuild(signal);
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stderr.split('\n').filter((l) => l.startsWith('build-static: interrupted')), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/build-static: error:/);
  expect(r.survivors, 'processes of the build still running').toEqual([]);
  expectUntouched(r.before, await snapshot(r.dir));
  expect(await readdir(join(r.dir, 'target', 'build-static')), 'no OUT or temp OUT').not.toContain('out');
}, 240_000);

test('SIGTERM with --json: one JSON error object, code TERMINATED', async () => {
  const r = await interruptBuild('SIGTERM', ['--json']);
  expect(r.code, r.stderr).toBe(143);
  expect(JSON.parse(r.stdout.trim())).toEqual({ ok: false, error: { code: 'TERMINATED', message: 'interrupted' } });
  expect(r.survivors).toEqual([]);
}, 240_000);

test('Ctrl-C in a terminal (SIGINT to the whole process group): the same', async () => {
  const r = await interruptBuild('SIGINT', [], true);
  expect(r.code, r.stderr).toBe(130);
  expect(r.stderr.split('\n').filter((l) => l.startsWith('build-static: interrupted')), r.stderr).toHaveLength(1);
  expect(r.survivors).toEqual([]);
  expectUntouched(r.before, await snapshot(r.dir));
}, 240_000);

// The allocator check through the CLI on real Rust builds: a multi-threaded crate on musl's
// malloc gets a warning (and its JSON says so); requiring mimalloc makes the same build fail with
// exit 4 and no output; a crate with mimalloc passes the requirement.
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO, errorLines, runCli } from '../helpers/cli.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const threaded = () =>
  new CargoWorkspace()
    .manifest('.', '[package]\nname = "spawner"\nversion = "0.1.0"\nedition = "2021"\n')
    .file('src/main.rs', 'fn main() { let h = std::thread::spawn(|| 21 * 2); println!("{}", h.join().unwrap()); }\n')
    .build();

test('a multi-threaded binary on musl malloc builds with a warning', async () => {
  const dir = await threaded();
  const result = await runCli(['build', dir, '--platform', 'linux/amd64', '--json']);
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as { outputs: Array<{ allocator: string; multiThreaded: boolean }>; warnings: string[] };
  expect(json.outputs[0]).toMatchObject({ allocator: 'musl', multiThreaded: true });
  expect(json.warnings).toEqual([expect.stringMatching(/spawner for linux\/amd64 is multi-threaded but uses musl's default malloc/)]);
  expect(result.stderr).toMatch(/build-static: warning: spawner for linux\/amd64 is multi-threaded/);
}, 600_000);

test('--allocator mimalloc refuses it: exit 4, one line, no output', async () => {
  const dir = await threaded();
  const out = join(await mkdtemp(join(tmpdir(), 'bs-alloc-')), 'out');
  const result = await runCli(['build', dir, '--platform', 'linux/amd64', '--allocator', 'mimalloc', '--out', out]);
  expect(result.code, result.stderr).toBe(4);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/spawner for linux\/amd64 uses musl's default malloc, but allocator "mimalloc" was requested/)]);
  expect(existsSync(out)).toBe(false);
}, 600_000);

test('allocator = "mimalloc" in Cargo.toml is satisfied by a crate that uses it', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'bs-alloc-ok-')), 'probe');
  await cp(join(REPO, 'test/fixtures/threads-probe'), dir, { recursive: true });
  await appendFile(join(dir, 'Cargo.toml'), '\n[package.metadata.build-static]\nallocator = "mimalloc"\nplatforms = ["linux/arm64"]\n');
  const result = await runCli(['build', dir, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as { outputs: Array<{ platform: string; allocator: string }>; warnings: string[] };
  expect(json.outputs).toEqual([expect.objectContaining({ platform: 'linux/arm64', allocator: 'mimalloc' })]);
  expect(json.warnings).toEqual([]);
}, 600_000);

// The allocator setting through the CLI on real Rust builds. By default mimalloc is linked in with
// NO source changes (proved from the binary and at run time on both platforms); a crate's own
// jemalloc is kept; mimalloc-secure is the secure flavor; system stays musl's (with a warning for
// a multi-threaded binary); a crate allocator that conflicts with a request fails before building.
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { PLATFORMS } from '../../scripts/src/core/platform.ts';
import { REPO, errorLines, runCli } from '../helpers/cli.ts';
import { spawnerStderr } from '../helpers/malloc-probe.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const threaded = () =>
  new CargoWorkspace()
    .manifest('.', '[package]\nname = "spawner"\nversion = "0.1.0"\nedition = "2021"\n')
    .file('src/main.rs', 'fn main() { let h = std::thread::spawn(|| (0..1000).map(|i| i.to_string()).collect::<Vec<_>>().len()); println!("{}", h.join().unwrap()); }\n')
    .build();

type Json = { outputs: Array<{ platform: string; path: string; allocator: string; allocatorReason: string; allocatorCrate?: string; multiThreaded: boolean | null }>; warnings: string[] };

test('default: a crate with no allocator code gets mimalloc linked in, on both platforms', async () => {
  const dir = await threaded();
  const out = join(dir, 'out');
  const result = await runCli(['build', dir, '--out', out, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as Json;
  expect(json.outputs.map((o) => [o.platform, o.allocator, o.allocatorReason, o.multiThreaded])).toEqual([
    ['linux/amd64', 'mimalloc', 'default', true], ['linux/arm64', 'mimalloc', 'default', true],
  ]);
  expect(json.warnings).toEqual([]);
  for (const platform of PLATFORMS) {
    const stderr = spawnerStderr(platform, join(out, platform.slug, 'spawner'));
    expect(stderr).toMatch(/mimalloc: process init/); // mimalloc, not musl, is running the program
    expect(stderr).not.toMatch(/secure level: [1-9]/);
    const inspect = await runCli(['inspect', join(out, platform.slug, 'spawner'), '--json']);
    expect(JSON.parse(inspect.stdout)[0]).toMatchObject({ allocator: 'mimalloc', linkage: expect.stringMatching(/^static/), multiThreaded: true });
  }
  const manifest = JSON.parse(await readFile(join(out, 'build-static.json'), 'utf8')) as Json;
  expect(manifest.outputs.map((o) => o.allocatorReason)).toEqual(['default', 'default']);
}, 900_000);

test('--allocator mimalloc: the same link-time mimalloc, reported as requested', async () => {
  const result = await runCli(['build', await threaded(), '--allocator', 'mimalloc', '--platform', 'linux/amd64', '--json']);
  expect(result.code, result.stderr).toBe(0);
  expect((JSON.parse(result.stdout) as Json).outputs[0]).toMatchObject({ allocator: 'mimalloc', allocatorReason: 'requested' });
}, 600_000);

test('default: a crate with its own jemalloc keeps it (nothing linked in, no warning)', async () => {
  const main = '#[global_allocator]\nstatic A: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;\nfn main() { let h = std::thread::spawn(|| 7); println!("{}", h.join().unwrap()); }\n';
  const dir = await new CargoWorkspace()
    .manifest('.', '[package]\nname = "own-je"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntikv-jemallocator = "0.6"\n')
    .file('src/main.rs', main)
    .build();
  const result = await runCli(['build', dir, '--platform', 'linux/amd64', '--json']);
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as Json;
  expect(json.outputs[0]).toMatchObject({ allocator: 'jemalloc', allocatorReason: 'crate', allocatorCrate: 'tikv-jemallocator' });
  expect(json.warnings).toEqual([]);
}, 900_000);

test('--allocator mimalloc-secure links the secure flavor', async () => {
  const dir = await threaded();
  const out = join(dir, 'out');
  const result = await runCli(['build', dir, '--allocator', 'mimalloc-secure', '--platform', 'linux/amd64', '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  expect(spawnerStderr(PLATFORMS[0]!, join(out, 'linux-amd64', 'spawner'))).toMatch(/secure level: 4/);
}, 600_000);

test('--allocator system keeps musl malloc, and warns naming the flag that fixes it', async () => {
  const dir = await threaded();
  const out = join(dir, 'out');
  const result = await runCli(['build', dir, '--allocator', 'system', '--platform', 'linux/amd64', '--out', out, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as Json;
  expect(json.outputs[0]).toMatchObject({ allocator: 'musl', allocatorReason: 'requested', multiThreaded: true });
  expect(json.warnings).toEqual([expect.stringMatching(/spawner for linux\/amd64 is multi-threaded but uses musl's default malloc \(allocator "system"\).*use --allocator mimalloc/)]);
  expect(spawnerStderr(PLATFORMS[0]!, join(out, 'linux-amd64', 'spawner'))).not.toMatch(/mimalloc/);
}, 600_000);

test.each([
  ['a jemalloc crate with --allocator mimalloc', 'tikv-jemallocator = "0.6"', 'mimalloc', /sets its own allocator \(crate tikv-jemallocator\), which conflicts with allocator "mimalloc"/],
  ['a mimalloc crate with --allocator system', 'mimalloc = "0.1"', 'system', /sets its own allocator \(crate mimalloc\), but allocator "system" was requested/],
  ['a non-secure mimalloc crate with --allocator mimalloc-secure', 'mimalloc = "0.1"', 'mimalloc-secure', /without its "secure" feature, but allocator "mimalloc-secure" was requested/],
])('%s: exit 4 before building, one line, no output', async (_what, dep, allocator, message) => {
  const dir = await new CargoWorkspace().binPackage('.', 'own-alloc', `\n[dependencies]\n${dep}\n`).build();
  const out = join(dir, 'out');
  const result = await runCli(['build', dir, '--allocator', allocator, '--out', out]);
  expect(result.code).toBe(4);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(message)]);
  expect(result.stderr).not.toMatch(/Compiling/);
  expect(existsSync(out)).toBe(false);
});

test('unknown allocator: exit 2', async () => {
  const result = await runCli(['build', await threaded(), '--allocator', 'jemalloc']);
  expect(result.code).toBe(2);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/unknown allocator "jemalloc": use one of auto, mimalloc, mimalloc-secure, system/)]);
});

test('allocator = "mimalloc" in Cargo.toml is satisfied by a crate that uses it (no second copy linked)', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'bs-alloc-ok-')), 'probe');
  await cp(join(REPO, 'test/fixtures/threads-probe'), dir, { recursive: true });
  await appendFile(join(dir, 'Cargo.toml'), '\n[package.metadata.build-static]\nallocator = "mimalloc"\nplatforms = ["linux/arm64"]\n');
  const result = await runCli(['build', dir, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as Json;
  expect(json.outputs).toEqual([expect.objectContaining({ platform: 'linux/arm64', allocator: 'mimalloc' })]);
  expect(json.warnings).toEqual([]);
}, 600_000);

// examples/allowlist puts the mimalloc crate behind its default `mimalloc` feature: the check must
// follow the features the build enables, not every dependency Cargo.toml lists.
test.each([
  ['default features + system: the crate allocator is on', [], 'system', 4, undefined],
  ['--no-default-features + system: no crate allocator, musl malloc', ['--no-default-features'], 'system', 0, false],
  ['--no-default-features + mimalloc: linked in at link time', ['--no-default-features'], 'mimalloc', 0, true],
  ['default features + mimalloc: the crate serves it, nothing linked in', [], 'mimalloc', 0, false],
] as const)('allowlist, %s', async (_what, flags, allocator, code, injected) => {
  const result = await runCli(['build', join(REPO, 'examples/allowlist'), ...flags, '--allocator', allocator, '--platform', 'linux/amd64', '--dry-run']);
  expect(result.code, result.stderr).toBe(code);
  if (injected !== undefined) expect(/native=[^"]*libc-mimalloc/.test(result.stdout + result.stderr)).toBe(injected);
});

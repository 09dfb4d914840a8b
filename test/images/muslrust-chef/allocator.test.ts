// The Dockerfile path gives the allocator `build-static build` gives: a crate with no allocator
// code, built by `build --engine podman` FROM the muslrust-chef image (on the stand-in), has
// mimalloc linked in on both platforms — `inspect` says so and mimalloc itself says so at run
// time (amd64 natively, arm64 under qemu) — and `allocator = "system"` in Cargo.toml gives
// musl's malloc. The image's libc.a with mimalloc is byte for byte build-static's own.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnerStderr } from '../../helpers/malloc-probe.ts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PLATFORMS, type Platform } from '../../../scripts/src/core/platform.ts';
import { prepareCToolchain } from '../../../scripts/src/core/toolchain/c-toolchain.ts';
import { muslLibcPath, prepareMimallocLibc } from '../../../scripts/src/core/toolchain/mimalloc.ts';
import { runCli } from '../../helpers/cli.ts';
import { type EngineFixture, startEngineFixture } from '../../helpers/engine-images.ts';
import { CargoWorkspace } from '../../helpers/workspace.ts';

const exec = promisify(execFile);
const MAIN = 'fn main() { let h = std::thread::spawn(|| (0..1000).map(|i| i.to_string()).collect::<Vec<_>>().len()); println!("{}", h.join().unwrap()); }\n';
const crate = (metadata = '') => new CargoWorkspace()
  .manifest('.', `[package]\nname = "spawner"\nversion = "0.1.0"\nedition = "2021"\n${metadata}`)
  .file('src/main.rs', MAIN).build('bs-chef-alloc-');

let work: string;
let fixture: EngineFixture;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-chef-alloc-'));
  fixture = await startEngineFixture(work, 'allocator');
}, 3_600_000);
afterAll(async () => {
  await fixture?.registry.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

// Builds DIR with `build --engine podman` for both platforms, pushes it, and copies each
// platform's binary out of the image; returns the copies' paths by platform.
async function engineBinaries(dir: string, name: string): Promise<Map<Platform, string>> {
  const tag = `${fixture.registry.host}/${name}:latest`;
  const res = await runCli(['build', dir, '--engine', 'podman', '--chef-image', fixture.chefImage, '--base', fixture.base,
    '--platform', PLATFORMS.map((p) => p.id).join(','), '--tag', tag, '--push', '--json']);
  expect(res.code, res.stderr.slice(-4000)).toBe(0);
  const out = new Map<Platform, string>();
  for (const platform of PLATFORMS) {
    // Pull this platform's image and create from its ID: `create NAME` may reuse the other
    // platform's image already stored under the same name.
    const pulled = await exec('podman', ['pull', '--quiet', '--tls-verify=false', '--platform', platform.id, tag]);
    const { stdout } = await exec('podman', ['create', '--platform', platform.id, pulled.stdout.trim().split('\n').pop()!]);
    const id = stdout.trim().split('\n').pop()!;
    const file = join(work, `${name}-${platform.slug}`);
    try {
      await exec('podman', ['cp', `${id}:/usr/local/bin/spawner`, file]);
    } finally {
      await exec('podman', ['rm', '--force', id]).catch(() => undefined);
    }
    out.set(platform, file);
  }
  return out;
}

async function inspected(file: string): Promise<{ allocator: string; linkage: string }> {
  const r = await runCli(['inspect', file, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout)[0];
}

test('the image carries, per musl target, the libc.a with mimalloc that build-static build links', async () => {
  for (const platform of PLATFORMS) {
    const c = await prepareCToolchain(platform, 'sysroot');
    const ours = await prepareMimallocLibc(platform, 'mimalloc', { cc: c.cc, ar: c.ar, cargo: 'cargo' }, muslLibcPath(platform, '', 'sysroot'));
    const want = createHash('sha256').update(await readFile(join(ours, 'libc.a'))).digest('hex');
    const { stdout } = await exec('podman', ['run', '--rm', '--tls-verify=false', '--platform', 'linux/amd64', '--network', 'none', fixture.chefImage,
      'sha256sum', `/usr/local/lib/build-static/mimalloc/${platform.triple}/libc.a`]);
    expect(stdout.split(' ')[0], platform.triple).toBe(want);
  }
}, 600_000);

test('default: no allocator code, built from the Dockerfile, runs on mimalloc on both platforms', async () => {
  const bins = await engineBinaries(await crate(), 'alloc-default');
  for (const [platform, file] of bins) {
    expect(await inspected(file), platform.id).toMatchObject({ allocator: 'mimalloc', linkage: expect.stringMatching(/^static/) });
    expect(spawnerStderr(platform, file), platform.id).toMatch(/mimalloc: process init/);
  }
}, 3_600_000);

test('allocator = "system" in Cargo.toml: the Dockerfile build gives musl\'s malloc', async () => {
  const bins = await engineBinaries(await crate('\n[package.metadata.build-static]\nallocator = "system"\n'), 'alloc-system');
  for (const [platform, file] of bins) {
    expect(await inspected(file), platform.id).toMatchObject({ allocator: 'musl', linkage: expect.stringMatching(/^static/) });
    expect(spawnerStderr(platform, file), platform.id).not.toMatch(/mimalloc/);
  }
}, 3_600_000);

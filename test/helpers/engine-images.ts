// What the Dockerfile-engine tests share: their fixture (a registry with the chef image — trusting
// this machine's CA — and the run image, plus a copy of the example), a look at a pushed index's
// platforms, and running one platform of a pushed allowlist image under podman (arm64 under qemu)
// with every HTTP endpoint driven.
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { exerciseAllowlist, LISTENING } from './allowlist.ts';
import { pushOutput } from '../../scripts/src/core/image/outputs.ts';
import { staticBaseIndex } from '../../scripts/src/core/image/static-base.ts';
import { REPO } from './cli.ts';
import { ensureMuslrustChef } from './muslrust-chef.ts';
import { startProcess } from './processes.ts';
import { startRegistry, type TestRegistry } from './registry.ts';

const exec = promisify(execFile);
export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;

// This machine reaches crates.io through a TLS-intercepting proxy whose CA only the host's bundle
// holds, and `cargo chef cook` downloads crates inside the chef image. So the tests derive a chef
// image with the host's CA bundle (COPY only: nothing runs, no QEMU); elsewhere it changes nothing.
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';
export async function chefTrustingHostCa(chefRef: string, workDir: string): Promise<string> {
  if (!existsSync(HOST_CA)) return chefRef;
  const dir = join(workDir, 'chef-ca');
  await mkdir(dir, { recursive: true });
  await copyFile(HOST_CA, join(dir, 'ca-certificates.crt'));
  await writeFile(join(dir, 'Containerfile'), 'ARG CHEF\nFROM --platform=$TARGETPLATFORM ${CHEF}\nCOPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n');
  const ref = chefRef.replace('/muslrust-chef:', '-hostca/muslrust-chef:');
  const list = `localhost/bs-engines-chef-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await exec('podman', ['manifest', 'rm', list]).catch(() => undefined);
  try {
    await exec('podman', ['build', '--platform', PLATFORMS.join(','), '--manifest', list, '--tls-verify=false', '--build-arg', `CHEF=${chefRef}`, '-f', join(dir, 'Containerfile'), dir], { maxBuffer: 64 << 20 });
    await exec('podman', ['manifest', 'push', '--all', '--tls-verify=false', list, `docker://${ref}`], { maxBuffer: 64 << 20 });
  } finally {
    await exec('podman', ['manifest', 'rm', list]).catch(() => undefined);
  }
  return ref;
}

// The platforms an image index in a registry lists (attestation entries left out), sorted.
export async function indexPlatforms(ref: string): Promise<string[]> {
  const { stdout } = await exec('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`], { maxBuffer: 16 << 20 });
  const index = JSON.parse(stdout) as { manifests: Array<{ platform?: { os: string; architecture: string } }> };
  return index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).filter((p) => p !== 'unknown/unknown').sort();
}

// Runs the image for one platform under podman (host network) and drives every endpoint.
export async function runAndCheck(ref: string, platform: string, unique: string): Promise<void> {
  const name = `bs-engines-${process.pid}-${unique}`;
  const argv = ['podman', 'run', '--rm', '--name', name, '--network', 'host', '--tls-verify=false', '--pull', 'always', '--platform', platform, '-e', 'PORT=0', '-e', 'BIND_ADDRESS=127.0.0.1', ref];
  const { match, proc } = await startProcess(argv, { ready: LISTENING, timeoutMs: 180_000 });
  try {
    expect(match[3]).toBe('memory');
    await exerciseAllowlist(`http://127.0.0.1:${match[2]}`, 'memory', unique);
  } finally {
    await exec('podman', ['rm', '--force', '--time', '5', name]).catch(() => undefined);
    await proc.stop();
  }
}

// A hex id (the service's addresses are hex) unique to this run, engine and check.
export const hexId = (engine: string, n: number) => `${(Date.now() % 0xffffff).toString(16)}${engine === 'podman' ? 'a' : engine === 'buildx' ? 'b' : 'd'}${n}`;

export interface EngineFixture {
  readonly registry: TestRegistry;
  /** `--chef-image` for the builds: the pushed muslrust-chef (trusting this machine's CA). */
  readonly chefImage: string;
  /** `--base`: the chainguard/static stand-in, pushed as `<registry>/chainguard/static:latest`. */
  readonly base: string;
  /** A copy of examples/allowlist in `workDir` without its target dir (edits stay out of the repo). */
  readonly project: string;
}

// What every Dockerfile-engine test starts from: a real registry holding the chef image (built
// or reused under `chefTag`) and the run image, and a private copy of the example.
export async function startEngineFixture(workDir: string, chefTag: string): Promise<EngineFixture> {
  const registry = await startRegistry();
  const chef = await ensureMuslrustChef(registry, { tag: chefTag });
  const base = `${registry.host}/chainguard/static:latest`;
  await pushOutput(await staticBaseIndex(), base, {});
  const project = join(workDir, 'allowlist');
  await cp(join(REPO, 'examples/allowlist'), project, { recursive: true, filter: (src) => !src.includes('/examples/allowlist/target') });
  return { registry, chefImage: await chefTrustingHostCa(chef.ref, workDir), base, project };
}

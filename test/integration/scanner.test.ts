// A real scanner reads what build-static writes: Anchore's syft (built from the Go module proxy by
// setup.sh) decodes the SPDX and CycloneDX documents of the allowlist build, and finds the crates
// in the .dep-v0 section of a `build --auditable` binary with its Rust binary cataloger.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PLATFORMS } from '../../scripts/src/core/platform.ts';
import { auditedProject } from '../helpers/audited-project.ts';
import { REPO, runCli } from '../helpers/cli.ts';

const exec = promisify(execFile);
const SYFT = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'build-static', 'go', 'bin', 'syft');
const OUT = join(REPO, 'examples', 'allowlist', 'target', 'build-static', 'out');
const env = { ...process.env, SYFT_CHECK_FOR_APP_UPDATE: 'false' };
let audited = '';
let lockTokio = '';

beforeAll(async () => {
  if (!existsSync(SYFT)) throw new Error(`syft is not installed at ${SYFT}: run ./setup.sh (it builds syft from the Go module proxy); this test cannot run without it`);
  const built = await runCli(['build', 'examples/allowlist', '--json']);
  if (built.code !== 0) throw new Error(`build failed:\n${built.stderr.slice(-4000)}`);
  lockTokio = /\[\[package\]\]\nname = "tokio"\nversion = "([^"]+)"/.exec(await (await import('node:fs/promises')).readFile(join(REPO, 'examples', 'allowlist', 'Cargo.lock'), 'utf8'))![1]!;
  audited = await auditedProject();
  const a = await runCli(['build', audited, '--auditable', '--json']);
  if (a.code !== 0) throw new Error(`build --auditable failed:\n${a.stderr.slice(-4000)}`);
}, 900_000);
afterAll(async () => audited && rm(audited, { recursive: true, force: true }));

const syftJson = async (args: string[]) => JSON.parse((await exec(SYFT, [...args, '-o', 'syft-json', '-q'], { env, maxBuffer: 64 << 20 })).stdout) as { artifacts: Array<{ name: string; version: string; purl?: string }> };

test.each(PLATFORMS.map((p) => [p.slug]))('%s: syft decodes the SPDX and the CycloneDX document', async (slug) => {
  for (const file of ['allowlist.spdx.json', 'allowlist.cdx.json']) {
    const doc = await syftJson(['convert', join(OUT, slug, file)]);
    const tokio = doc.artifacts.find((a) => a.name === 'tokio');
    expect(tokio, file).toMatchObject({ version: lockTokio, purl: `pkg:cargo/tokio@${lockTokio}` });
    expect(doc.artifacts.filter((a) => a.name.startsWith('windows')), file).toEqual([]);
  }
});

test.each(PLATFORMS.map((p) => [p.slug]))('%s: syft finds the crates embedded by build --auditable', async (slug) => {
  const exe = join(audited, 'target', 'build-static', 'out', slug, 'audited');
  const found = await syftJson(['scan', `file:${exe}`]);
  expect(found.artifacts.map((a) => `${a.name}@${a.version}`)).toEqual(expect.arrayContaining(['helper@0.2.0']));
});

// SBOMs end to end with real components: build-static image of examples/allowlist pushed to
// Debian's docker-registry (no referrers API, so the sha256-<hex> tag schema), each platform's
// SPDX and CycloneDX documents found from that platform's manifest digest, their crates checked
// against Cargo.lock (axum, tokio, serde; no windows-sys), the CycloneDX one validated against the
// official 1.5 schema, the layout carrying the same referrers, and a second build giving the same
// SBOM bytes.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildStaticBase } from '../../scripts/src/core/image/static-base.ts';
import { openLayout, referrersTag } from '../../scripts/src/oci/index.ts';
import { listReferrers, RegistryClient } from '../../scripts/src/oci/registry/index.ts';
import { PLATFORMS } from '../../scripts/src/core/platform.ts';
import { REPO, runCli } from '../helpers/cli.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { cycloneDxErrors } from '../core/sbom/fixtures.ts';

const exec = promisify(execFile);
let work = '';
let registry: TestRegistry;
let baseRef = '';
let result: { digest: string; manifests: Array<{ platform: string; digest: string }>; sboms: Array<{ platform: string; artifactType: string; digest: string; subject: string; scheme: string }>; outputs: Array<{ platform: string; sbom: { spdx: string; cyclonedx: string } }> };
const lock = new Map<string, string>();
const OUT = join(REPO, 'examples', 'allowlist', 'target', 'build-static', 'out');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bs-sbom-'));
  registry = await startRegistry();
  await buildStaticBase(join(work, 'base'), { tag: 'latest' });
  baseRef = `${registry.host}/chainguard/static:latest`;
  await exec('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${join(work, 'base')}:latest`, `docker://${baseRef}`]);
  const r = await runCli(['image', 'examples/allowlist', '--base', baseRef, '--tag', `${registry.host}/allowlist:sbom`, '--push', '--oci-layout', join(work, 'layout'), '--json']);
  if (r.code !== 0) throw new Error(`build-static image failed (${r.code}):\n${r.stderr.slice(-5000)}`);
  result = JSON.parse(r.stdout);
  const text = await readFile(join(REPO, 'examples', 'allowlist', 'Cargo.lock'), 'utf8');
  for (const m of text.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/g)) lock.set(m[1]!, m[2]!);
});

afterAll(async () => {
  await registry?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

async function referrer(subject: string, artifactType: string): Promise<Record<string, any>> {
  const repo = { registry: registry.host, repository: 'allowlist' };
  const found = await listReferrers(repo, subject as `sha256:${string}`, { artifactType });
  expect(found, `${artifactType} referrers of ${subject}`).toHaveLength(1);
  const client = new RegistryClient();
  const manifest = JSON.parse(new TextDecoder().decode((await client.getManifest({ ...repo, digest: found[0]!.digest })).bytes));
  expect(manifest.subject.digest).toBe(subject);
  const layer = manifest.layers[0];
  return JSON.parse(new TextDecoder().decode(await client.getBlob(repo, layer.digest, layer.size)));
}

describe.each(PLATFORMS.map((p) => [p.id]))('%s', (id) => {
  test('the SPDX document is reachable from the manifest digest and lists exactly this target\'s crates', async () => {
    const subject = result.manifests.find((m) => m.platform === id)!.digest;
    expect(result.sboms.filter((s) => s.subject === subject).map((s) => [s.artifactType, s.scheme])).toEqual([['application/spdx+json', 'tag'], ['application/vnd.cyclonedx+json', 'tag']]);
    const { stdout } = await exec('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/allowlist:${referrersTag(subject)}`]);
    expect(JSON.parse(stdout).manifests).toHaveLength(2);
    const spdx = await referrer(subject, 'application/spdx+json');
    expect(spdx.spdxVersion).toBe('SPDX-2.3');
    const packages = new Map<string, any>(spdx.packages.map((p: { name: string }) => [p.name, p]));
    for (const name of ['axum', 'tokio', 'serde']) {
      expect(packages.get(name)?.versionInfo, name).toBe(lock.get(name));
      expect(packages.get(name).externalRefs[0].referenceLocator).toBe(`pkg:cargo/${name}@${lock.get(name)}`);
      expect(packages.get(name).checksums[0].checksumValue).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(lock.has('windows-sys')).toBe(true);
    expect([...packages.keys()].filter((n) => /^windows|^winapi/.test(n))).toEqual([]);
    expect(packages.get('musl').versionInfo).toMatch(/^1\.2\.\d+$/);
    expect(packages.get('mimalloc').versionInfo).toMatch(/^\d+\.\d+\.\d+$/);
    const binary = spdx.packages.find((p: { name: string; primaryPackagePurpose: string }) => p.primaryPackagePurpose === 'APPLICATION' && p.name === 'allowlist');
    const built = await readFile(join(OUT, id.replace('/', '-'), 'allowlist'));
    expect(binary.checksums[0].checksumValue).toBe((await import('node:crypto')).createHash('sha256').update(built).digest('hex'));
  });

  test('the CycloneDX document is valid against the 1.5 schema and names the same crates', async () => {
    const subject = result.manifests.find((m) => m.platform === id)!.digest;
    const cdx = await referrer(subject, 'application/vnd.cyclonedx+json');
    expect(cycloneDxErrors(cdx)).toEqual([]);
    expect(cdx.components.find((c: { name: string }) => c.name === 'tokio').purl).toBe(`pkg:cargo/tokio@${lock.get('tokio')}`);
    expect(cdx.components.map((c: { name: string }) => c.name).filter((n: string) => n.startsWith('windows'))).toEqual([]);
  });
});

test('the OCI layout lists the four SBOM artifacts after the image, with their blobs', async () => {
  const layout = await openLayout(join(work, 'layout'));
  expect(layout.index.manifests[0]!.digest).toBe(result.digest);
  const referrers = layout.index.manifests.slice(1);
  expect(referrers.map((d) => d.digest).sort()).toEqual(result.sboms.map((s) => s.digest).sort());
  for (const d of referrers) {
    const manifest = JSON.parse(new TextDecoder().decode(await layout.source.get(d.digest)));
    expect(result.manifests.map((m) => m.digest)).toContain(manifest.subject.digest);
    await layout.source.get(manifest.layers[0].digest);
  }
});

test('a second build into another OUT gives identical SBOM bytes', async () => {
  const out2 = join(work, 'out2');
  const r = await runCli(['build', 'examples/allowlist', '--out', out2, '--json']);
  expect(r.code, r.stderr.slice(-3000)).toBe(0);
  for (const o of result.outputs) {
    for (const file of [o.sbom.spdx, o.sbom.cyclonedx]) expect(await readFile(join(out2, file)), file).toEqual(await readFile(join(OUT, file)));
  }
}, 600_000);

test('--no-sbom attaches nothing', async () => {
  const r = await runCli(['image', 'examples/allowlist', '--base', baseRef, '--no-sbom', '--oci-layout', join(work, 'plain'), '--json']);
  expect(r.code, r.stderr.slice(-3000)).toBe(0);
  expect(JSON.parse(r.stdout).sboms).toEqual([]);
  expect((await openLayout(join(work, 'plain'))).index.manifests).toHaveLength(1);
}, 600_000);

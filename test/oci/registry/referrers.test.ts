// Artifacts attached to images in a real registry: Debian's docker-registry (distribution 2.8) has
// no referrers API, so pushReferrer falls back to the `sha256-<hex>` tag schema; skopeo reads the
// artifact manifest back by digest; a second artifact joins the same index; a repeat adds nothing.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { artifact, referrersTag } from '../../../scripts/src/oci/artifact.ts';
import { listReferrers, push, pushReferrer, RegistryClient, referrersFromApi } from '../../../scripts/src/oci/registry/index.ts';
import { sha256Digest } from '../../../scripts/src/oci/digest.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { indexSource, makeImage } from './fixtures.ts';

let reg: TestRegistry;
const amd = makeImage('linux/amd64');
const arm = makeImage('linux/arm64');
const sbom = (text: string) => new TextEncoder().encode(JSON.stringify({ spdxVersion: 'SPDX-2.3', name: text }));

beforeAll(async () => {
  reg = await startRegistry();
  await push(indexSource([amd, arm]), `${reg.host}/app:v1`);
});
afterAll(async () => {
  await reg?.dispose();
});

test('docker-registry answers the referrers API with 404: no API', async () => {
  expect(await referrersFromApi(new RegistryClient(), { registry: reg.host, repository: 'app' }, amd.descriptor.digest, 'test')).toBeUndefined();
});

test('an SBOM attached to each platform manifest is found from that manifest\'s digest', async () => {
  for (const image of [amd, arm]) {
    const a = artifact({ artifactType: 'application/spdx+json', payload: sbom(image.platform.architecture), subject: image.descriptor });
    const pushed = await pushReferrer(a, `${reg.host}/app`);
    expect(pushed).toEqual({ digest: a.descriptor.digest, subject: image.descriptor.digest, scheme: 'tag' });
    const found = await listReferrers(`${reg.host}/app`, image.descriptor.digest, { artifactType: 'application/spdx+json' });
    expect(found).toEqual([a.descriptor]);
    // What other tools see: the tag index and the artifact manifest, read by skopeo.
    const tagIndex = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/app:${referrersTag(image.descriptor.digest)}`], { encoding: 'utf8' }));
    expect(tagIndex.manifests.map((m: { digest: string }) => m.digest)).toEqual([a.descriptor.digest]);
    const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/app@${a.descriptor.digest}`], { encoding: 'utf8' });
    expect(sha256Digest(new TextEncoder().encode(raw))).toBe(a.descriptor.digest);
    const manifest = JSON.parse(raw);
    expect(manifest).toMatchObject({ artifactType: 'application/spdx+json', config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2 }, subject: { digest: image.descriptor.digest, mediaType: image.descriptor.mediaType, size: image.descriptor.size } });
    expect(manifest.subject.platform).toBeUndefined();
  }
});

test('a second artifact joins the index; pushing one again changes nothing', async () => {
  const first = (await listReferrers(`${reg.host}/app`, amd.descriptor.digest))[0]!;
  const other = artifact({ artifactType: 'application/vnd.cyclonedx+json', payload: sbom('cdx'), subject: amd.descriptor });
  await pushReferrer(other, `${reg.host}/app`);
  await pushReferrer(other, `${reg.host}/app`);
  const all = await listReferrers(`${reg.host}/app`, amd.descriptor.digest);
  expect(all.map((d) => d.digest).sort()).toEqual([first.digest, other.descriptor.digest].sort());
  expect(await listReferrers(`${reg.host}/app`, amd.descriptor.digest, { artifactType: 'application/vnd.cyclonedx+json' })).toEqual([other.descriptor]);
  expect(await listReferrers(`${reg.host}/app`, sha256Digest(new Uint8Array([1])))).toEqual([]);
});

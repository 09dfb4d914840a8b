// OCI 1.1 artifacts with a subject, and layouts / archives that carry them beside the image:
// fixed bytes, the empty config, index.json listing the referrer after the tagged root, the root
// still found without a tag, and skopeo copying the tagged image out of the layout.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  EMPTY_DESCRIPTOR, MEDIA_TYPE, artifact, emptyImage, imageIndex, layerFromEntries, appendLayers, openLayout, readLayout, readOciArchive, referrersTag,
  rootDescriptor, serializeIndex, sha256Digest, writeLayout, writeOciArchive, type Index,
} from '../../scripts/src/oci/index.ts';
import { expectValidLayout, readTree, runOk, scratch } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let app: Index;
const payload = new TextEncoder().encode('{"spdxVersion":"SPDX-2.3"}\n');

beforeAll(async () => {
  ({ dir, cleanup } = await scratch('artifact'));
  const layer = await layerFromEntries([{ type: 'file', path: 'app', data: new TextEncoder().encode('x'), mode: 0o555 }], { epoch: 0 });
  app = imageIndex(['amd64', 'arm64'].map((a) => appendLayers(emptyImage({ os: 'linux', architecture: a }), [layer], { createdBy: 'test', epoch: 0 })));
});
afterAll(async () => cleanup?.());

const sboms = () => serializeIndex(app).images.map((i) => artifact({ artifactType: 'application/spdx+json', payload, subject: i.descriptor, annotations: { 'org.opencontainers.image.created': '1970-01-01T00:00:00Z' } }));

test('an artifact manifest: empty config, the payload as its layer, the subject without platform', () => {
  const [a] = sboms();
  const m = JSON.parse(new TextDecoder().decode(a!.manifestBytes));
  const subject = serializeIndex(app).images[0]!.descriptor;
  expect(m).toEqual({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE.OCI_MANIFEST,
    artifactType: 'application/spdx+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2, data: 'e30=' },
    layers: [{ mediaType: 'application/spdx+json', digest: sha256Digest(payload), size: payload.byteLength }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'org.opencontainers.image.created': '1970-01-01T00:00:00Z' },
  });
  expect(a!.descriptor).toMatchObject({ digest: sha256Digest(a!.manifestBytes), artifactType: 'application/spdx+json' });
  expect(sboms()[0]!.manifestBytes).toEqual(a!.manifestBytes);
  expect(EMPTY_DESCRIPTOR.digest).toBe(sha256Digest(new TextEncoder().encode('{}')));
  expect(referrersTag(subject.digest)).toBe(`sha256-${subject.digest.slice(7)}`);
});

test('a layout with referrers: listed after the root, blobs stored, the root read back with or without the tag', async () => {
  const out = join(dir, 'layout');
  const referrers = sboms();
  await writeLayout(out, app, { tag: 'v1', referrers });
  await expectValidLayout(out, 'v1');
  const layout = await openLayout(out);
  expect(layout.index.manifests.map((d) => d.digest)).toEqual([rootDescriptor(app).digest, ...referrers.map((r) => r.descriptor.digest)]);
  const tree = await readTree(out);
  for (const r of referrers) for (const b of r.blobs) expect(tree.has(`blobs/sha256/${b.descriptor.digest.slice(7)}`)).toBe(true);
  const untagged = await readLayout(out);
  expect(rootDescriptor(untagged).digest).toBe(rootDescriptor(app).digest);
  await runOk('skopeo', ['copy', '--all', `oci:${out}:v1`, `oci:${join(dir, 'copy')}:v1`]);
});

test('an OCI archive carries the same referrers', async () => {
  const file = join(dir, 'app.tar');
  await writeOciArchive(file, app, { tag: 'v1', referrers: sboms() });
  const opened = await readOciArchive(file);
  expect(opened.index.manifests).toHaveLength(3);
  const m = await opened.source.get(opened.index.manifests[1]!.digest);
  expect(JSON.parse(new TextDecoder().decode(m)).artifactType).toBe('application/spdx+json');
});

// OCI layout directories: what is written, reading it back (a byte-identical round trip),
// building on a base read from a layout, atomic replacement, and skopeo accepting the result.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MEDIA_TYPE,
  OciError,
  REF_NAME,
  appendLayers,
  configure,
  imageIndex,
  isIndex,
  layerFromEntries,
  openLayout,
  readLayout,
  rootDescriptor,
  rootImages,
  selectPlatform,
  serializeImage,
  serializeIndex,
  setCreated,
  writeLayout,
  type Image,
  type Index,
} from '../../scripts/src/oci/index.ts';
import { expectValidLayout, hashTree, readTree, runOk, scratch, staticBase } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let base: string;
let app: Index;
let appLayout: string; // `app` written with tag v1, read back by the tests below
beforeAll(async () => {
  ({ dir, cleanup } = await scratch('layout'));
  base = await staticBase(dir);
  const root = await readLayout(base, 'latest');
  const layer = await layerFromEntries(
    [{ type: 'file', path: 'app/server', data: new TextEncoder().encode('not really a binary'), mode: 0o755 }],
    { epoch: 0 },
  );
  app = imageIndex(
    rootImages(root).map((image) =>
      setCreated(configure(appendLayers(image, [layer], { createdBy: 'test', epoch: 0 }), { entrypoint: ['/app/server'] }), 0),
    ),
  );
  appLayout = join(dir, 'app');
  await writeLayout(appLayout, app, { tag: 'v1' });
}, 120_000);
afterAll(async () => cleanup?.());

describe('writeLayout', () => {
  it('writes oci-layout, index.json with the tag, and one file per blob, with fixed modes', async () => {
    const out = join(dir, 'written');
    await writeLayout(out, app, { tag: 'v1' });
    await expectValidLayout(out, 'v1');
    const tree = await readTree(out);
    expect(tree.get('oci-layout')!.toString()).toBe('{"imageLayoutVersion":"1.0.0"}');
    const s = serializeIndex(app);
    expect(JSON.parse(tree.get('index.json')!.toString())).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE.OCI_INDEX,
      manifests: [{ mediaType: MEDIA_TYPE.OCI_INDEX, digest: s.digest, size: s.bytes.byteLength, annotations: { [REF_NAME]: 'v1' } }],
    });
    // index + 2 manifests + 2 configs + base layer (shared) + app layer (shared)
    expect([...tree.keys()].filter((k) => k.startsWith('blobs/sha256/'))).toHaveLength(7);
    expect(tree.get(`blobs/sha256/${s.digest.slice(7)}`)!.equals(Buffer.from(s.bytes))).toBe(true);
    expect((await stat(join(out, 'index.json'))).mode & 0o777).toBe(0o644);
    expect((await stat(join(out, 'blobs', 'sha256'))).mode & 0o777).toBe(0o755);
  });

  it('reads back into the same value: re-writing gives identical bytes', async () => {
    const again = await readLayout(appLayout, 'v1');
    expect(isIndex(again)).toBe(true);
    expect(rootDescriptor(again)).toEqual(rootDescriptor(app));
    await writeLayout(join(dir, 'app-again'), again, { tag: 'v1' });
    await expectValidLayout(join(dir, 'app-again'));
    expect(await hashTree(join(dir, 'app-again'))).toEqual(await hashTree(appLayout));
  });

  it('builds on a base from a layout: the base layer is shared, platforms kept', async () => {
    const [amd64, arm64] = ['amd64', 'arm64'].map((architecture) => selectPlatform(app.images, { os: 'linux', architecture }));
    expect(serializeImage(amd64!).platform).toEqual({ architecture: 'amd64', os: 'linux' });
    expect(amd64!.layers[0]!.descriptor.digest).toBe(arm64!.layers[0]!.descriptor.digest);
    const config = JSON.parse(new TextDecoder().decode(serializeImage(arm64!).configBytes));
    expect(config).toMatchObject({ architecture: 'arm64', os: 'linux', config: { User: '65532', Entrypoint: ['/app/server'] } });
    expect(config.history).toHaveLength(2);
  });

  it('writes a single image with its platform in index.json', async () => {
    const out = join(dir, 'single');
    const image = app.images[1] as Image;
    await writeLayout(out, image);
    await expectValidLayout(out);
    const layout = await openLayout(out);
    expect(layout.index.manifests).toEqual([serializeImage(image).descriptor]);
    expect(serializeImage((await readLayout(out)) as Image).digest).toBe(serializeImage(image).digest);
  });

  it('is atomic: a failure leaves no directory and no temp files, and keeps an existing layout', async () => {
    const broken: Image = { ...app.images[0]!, source: { get: async () => Promise.reject(new Error('registry went away')) } };
    const parent = join(dir, 'atomic');
    await mkdir(parent);
    await expect(writeLayout(join(parent, 'out'), broken)).rejects.toThrow(/registry went away/);
    expect(await readdir(parent)).toEqual([]);
    await writeLayout(join(parent, 'out'), app, { tag: 'v1' });
    const before = await hashTree(join(parent, 'out'));
    await expect(writeLayout(join(parent, 'out'), broken)).rejects.toThrow(OciError);
    expect(await readdir(parent)).toEqual(['out']);
    expect(await hashTree(join(parent, 'out'))).toEqual(before);
  });

  it('refuses what is not a layout, and names the tags it has', async () => {
    await mkdir(join(dir, 'empty'));
    await expect(readLayout(join(dir, 'empty'))).rejects.toThrow(/is not an OCI layout \(no oci-layout\)/);
    await expect(readLayout(appLayout, 'nope')).rejects.toThrow(/has no image tagged "nope" \(it has: v1\)/);
    await writeFile(join(dir, 'empty', 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    await expect(readLayout(join(dir, 'empty'))).rejects.toThrow(/expected 1\.0\.0/);
  });
});

describe('skopeo 1.9 accepts the layout', () => {
  it('inspect --raw oci:DIR returns our index bytes; inspect resolves the host platform', async () => {
    const out = appLayout;
    const s = serializeIndex(app);
    expect(await runOk('skopeo', ['inspect', '--raw', `oci:${out}`])).toBe(Buffer.from(s.bytes).toString());
    expect(await runOk('skopeo', ['inspect', '--raw', `oci:${out}:v1`])).toBe(Buffer.from(s.bytes).toString());
    const inspect = JSON.parse(await runOk('skopeo', ['inspect', `oci:${out}:v1`]));
    expect(inspect).toMatchObject({ Architecture: 'amd64', Os: 'linux', Created: '1970-01-01T00:00:00Z' });
    expect(inspect.Layers).toEqual(app.images[0]!.layers.map((l) => l.descriptor.digest));
  });

  it('copy --all to oci-archive and to another layout keeps every digest; we read both back', async () => {
    const archive = join(dir, 'skopeo.tar');
    await runOk('skopeo', ['copy', '--all', `oci:${appLayout}:v1`, `oci-archive:${archive}:app:v1`]);
    await runOk('skopeo', ['copy', '--all', `oci:${appLayout}:v1`, `oci:${join(dir, 'skopeo-copy')}:v1`]);
    await expectValidLayout(join(dir, 'skopeo-copy'), 'v1');
    expect(rootDescriptor(await readLayout(join(dir, 'skopeo-copy'), 'v1')).digest).toBe(serializeIndex(app).digest);
    const blobs = (await readTree(join(dir, 'skopeo-copy'))).keys();
    expect([...blobs].filter((k) => k.startsWith('blobs/'))).toEqual(
      [...(await readTree(appLayout)).keys()].filter((k) => k.startsWith('blobs/')),
    );
    const listing = await runOk('tar', ['-tf', archive]);
    expect(listing).toContain(`blobs/sha256/${serializeIndex(app).digest.slice(7)}`);
  });
});

// oci-archive tarballs: a sorted, fixed-metadata tar of exactly the layout's files, read back by
// us, GNU tar and skopeo. (podman load is in podman.test.ts.)
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendLayers,
  configure,
  emptyImage,
  imageIndex,
  layerFromEntries,
  readOciArchive,
  rootDescriptor,
  serializeIndex,
  validate,
  writeLayout,
  writeOciArchive,
  type Image,
  type Index,
} from '../../scripts/src/oci/index.ts';
import { expectValidLayout, hashTree, runOk, scratch } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let index: Index;
let archive: string; // the index written by writeOciArchive, read by every test below
beforeAll(async () => {
  ({ dir, cleanup } = await scratch('tarball'));
  const images = await Promise.all(
    ['amd64', 'arm64'].map(async (architecture) => {
      const layer = await layerFromEntries([{ type: 'file', path: 'app', data: new TextEncoder().encode(architecture), mode: 0o755 }], {
        epoch: 0,
      });
      return configure(appendLayers(emptyImage({ architecture, os: 'linux' }), [layer]), { entrypoint: ['/app'] });
    }),
  );
  index = imageIndex(images);
  archive = join(dir, 'app.tar');
  await writeOciArchive(archive, index, { tag: 'app:v1', epoch: 1_700_000_000 });
});
afterAll(async () => cleanup?.());

describe('writeOciArchive', () => {
  it('holds exactly the files of the layout, sorted, root-owned, at the epoch', async () => {
    const listing = (await runOk('tar', ['--numeric-owner', '--utc', '-tvf', archive]))
      .trim()
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' '));
    const names = listing.map((l) => l.split(' ').pop());
    expect(names.slice(0, 2)).toEqual(['blobs/', 'blobs/sha256/']);
    expect(names.slice(-2)).toEqual(['index.json', 'oci-layout']);
    expect(names).toEqual([...names].sort());
    expect(listing.every((l) => / 0\/0 \d+ 2023-11-14 22:13 /.test(l))).toBe(true);
    // Extracted, it is the same tree writeLayout writes.
    const layout = join(dir, 'layout');
    await writeLayout(layout, index, { tag: 'app:v1' });
    await expectValidLayout(layout);
    await runOk('mkdir', ['-p', join(dir, 'x')]);
    await runOk('tar', ['-xf', archive, '-C', join(dir, 'x')]);
    expect(await hashTree(join(dir, 'x'))).toEqual(await hashTree(layout));
  });

  it('reads back and validates; the same image gives the same bytes', async () => {
    const opened = await readOciArchive(archive);
    await expect(validate(opened.source, opened.index.manifests[0]!)).resolves.toBeUndefined();
    expect(opened.index.manifests[0]!.digest).toBe(serializeIndex(index).digest);
    await writeOciArchive(join(dir, 'again.tar'), index, { tag: 'app:v1', epoch: 1_700_000_000 });
    expect((await readFile(join(dir, 'again.tar'))).equals(await readFile(archive))).toBe(true);
  });

  it('skopeo reads it as oci-archive: and copies it without changing a digest', async () => {
    expect(await runOk('skopeo', ['inspect', '--raw', `oci-archive:${archive}`])).toBe(Buffer.from(serializeIndex(index).bytes).toString());
    await runOk('skopeo', ['copy', '--all', `oci-archive:${archive}`, `oci:${join(dir, 'copied')}:app:v1`]);
    await expectValidLayout(join(dir, 'copied'));
    const copied = JSON.parse(await readFile(join(dir, 'copied', 'index.json'), 'utf8'));
    expect(copied.manifests[0].digest).toBe(rootDescriptor(index).digest);
  });

  it('a failure leaves no file behind', async () => {
    const broken: Image = { ...index.images[0]!, layers: [{ ...index.images[0]!.layers[0]!, bytes: undefined }] };
    await runOk('mkdir', ['-p', join(dir, 'fail')]);
    await expect(writeOciArchive(join(dir, 'fail', 'x.tar'), broken)).rejects.toThrow(/not available/);
    expect(await readdir(join(dir, 'fail'))).toEqual([]);
  });
});

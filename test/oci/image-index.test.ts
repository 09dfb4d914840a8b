// Indexes: one image per platform, platforms on descriptors, and the blob list writers use.
import { describe, expect, it } from 'vitest';
import {
  MEDIA_TYPE, OciError, appendLayers, emptyImage, imageIndex, layerFromEntries, rootBlobs, rootDescriptor, serializeIndex, serializeImage,
} from '../../scripts/src/oci/index.ts';
import { expectValidRoot } from './helpers.ts';

const platforms = [{ architecture: 'amd64', os: 'linux' }, { architecture: 'arm64', os: 'linux' }];

describe('imageIndex', () => {
  it('lists each image with its platform and shares identical layers', async () => {
    const layer = await layerFromEntries([{ type: 'file', path: 'etc/os-release', data: new TextEncoder().encode('ID=x\n') }], { epoch: 0 });
    const images = platforms.map((p) => appendLayers(emptyImage(p), [layer]));
    const index = imageIndex(images, { 'org.opencontainers.image.revision': 'abc' });
    const s = serializeIndex(index);
    expect(s.index.mediaType).toBe(MEDIA_TYPE.OCI_INDEX);
    expect(s.index.manifests.map((d) => d.platform)).toEqual(platforms);
    expect(s.index.annotations).toEqual({ 'org.opencontainers.image.revision': 'abc' });
    expect(rootDescriptor(index)).toEqual({ mediaType: MEDIA_TYPE.OCI_INDEX, digest: s.digest, size: s.bytes.byteLength });
    // index + 2 manifests + 2 configs + 1 shared layer, sorted by digest
    const blobs = rootBlobs(index);
    expect(blobs).toHaveLength(6);
    expect(blobs.map((b) => b.descriptor.digest)).toEqual(blobs.map((b) => b.descriptor.digest).sort());
    expect(blobs.every((b) => b.descriptor.platform === undefined)).toBe(true);
    await expectValidRoot(index);
  });

  it('refuses two images for one platform, and an empty index', () => {
    const a = emptyImage(platforms[0]!);
    expect(() => imageIndex([a, emptyImage(platforms[1]!), a])).toThrow(/two images for platform linux\/amd64/);
    expect(() => imageIndex([])).toThrow(OciError);
  });

  it('a lone image is its own root, with its platform', () => {
    const image = emptyImage(platforms[1]!);
    expect(rootDescriptor(image)).toEqual(serializeImage(image).descriptor);
    expect(rootDescriptor(image).platform).toEqual(platforms[1]);
  });
});

// Loading images from any BlobSource (what the registry client hands over): Docker v2 manifest
// lists, attestation entries, platform selection, and verification of fetched blobs.
import { describe, expect, it } from 'vitest';
import {
  MEDIA_TYPE, OciError, appendLayers, fetchVerified, imageIndex, jsonBytes, layerFromEntries, loadRoot, memoryBlobSource, rootBlobSource, rootBlobs, rootBytes, rootDescriptor,
  rootImages, selectPlatform, serializeImage, sha256Digest, validate, type BlobSource, type Descriptor,
} from '../../scripts/src/oci/index.ts';

// A Docker-format two-platform image plus an attestation entry, as a registry might serve it.
async function dockerImage(): Promise<{ source: BlobSource; root: Descriptor; blobs: Uint8Array[] }> {
  const blobs: Uint8Array[] = [];
  const put = (mediaType: string, bytes: Uint8Array, extra: Partial<Descriptor> = {}): Descriptor => {
    blobs.push(bytes);
    return { mediaType, digest: sha256Digest(bytes), size: bytes.byteLength, ...extra };
  };
  const layer = await layerFromEntries([{ type: 'file', path: 'etc/os-release', data: new TextEncoder().encode('ID=docker\n') }], { epoch: 0 });
  const layerDesc = put(MEDIA_TYPE.DOCKER_LAYER_GZIP, layer.bytes);
  const manifests = ['amd64', 'arm64'].map((architecture) => {
    const config = put(MEDIA_TYPE.DOCKER_CONFIG, jsonBytes({ architecture, os: 'linux', config: { Env: ['PATH=/bin'] }, rootfs: { type: 'layers', diff_ids: [layer.diffId] }, docker_version: '24.0.0' }));
    const manifest = jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPE.DOCKER_MANIFEST, config, layers: [layerDesc] });
    return put(MEDIA_TYPE.DOCKER_MANIFEST, manifest, { platform: { architecture, os: 'linux', ...(architecture === 'arm64' ? { variant: 'v8' } : {}) } });
  });
  const attestation = put(MEDIA_TYPE.OCI_MANIFEST, jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPE.OCI_MANIFEST, config: put('application/vnd.in-toto+json', jsonBytes({})), layers: [] }), { platform: { architecture: 'unknown', os: 'unknown' } });
  const root = put(MEDIA_TYPE.DOCKER_MANIFEST_LIST, jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPE.DOCKER_MANIFEST_LIST, manifests: [...manifests, attestation] }));
  return { source: memoryBlobSource(blobs), root, blobs };
}

describe('loadRoot', () => {
  it('loads a Docker manifest list, skipping attestations; images keep index platforms and round-trip raw bytes', async () => {
    const { source, root } = await dockerImage();
    await expect(validate(source, root)).resolves.toBeUndefined();
    const images = rootImages(await loadRoot(source, root));
    expect(images).toHaveLength(2);
    const arm64 = selectPlatform(images, { os: 'linux', architecture: 'arm64' });
    expect(serializeImage(arm64).platform).toEqual({ architecture: 'arm64', os: 'linux', variant: 'v8' });
    expect(serializeImage(arm64).descriptor.mediaType).toBe(MEDIA_TYPE.DOCKER_MANIFEST); // unmodified: the original bytes
    expect(JSON.parse(new TextDecoder().decode(serializeImage(arm64).configBytes)).docker_version).toBe('24.0.0');
  });

  it('an image built on it is pure OCI (layer re-labelled, same blob), keeps unknown config keys, and validates', async () => {
    const { source, root, blobs } = await dockerImage();
    const images = rootImages(await loadRoot(source, root));
    const app = await layerFromEntries([{ type: 'file', path: 'app', data: new Uint8Array([1, 2, 3]), mode: 0o755 }], { epoch: 0 });
    const index = imageIndex(images.map((image) => appendLayers(image, [app])));
    const s = serializeImage(index.images[0]!);
    expect(s.descriptor.mediaType).toBe(MEDIA_TYPE.OCI_MANIFEST);
    expect(s.manifest.layers.map((l) => l.mediaType)).toEqual([MEDIA_TYPE.OCI_LAYER_GZIP, MEDIA_TYPE.OCI_LAYER_GZIP]);
    expect(JSON.parse(new TextDecoder().decode(s.configBytes))).toMatchObject({ docker_version: '24.0.0', rootfs: { diff_ids: [expect.any(String), app.diffId] } });
    // The base layer is fetched from the base's source; ours are in memory.
    const pending = rootBlobs(index);
    expect(pending.filter((b) => !b.bytes).map((b) => b.source)).toEqual([source]);
    const all = memoryBlobSource([...blobs, ...pending.flatMap((b) => (b.bytes ? [b.bytes] : []))]);
    await expect(validate(all, rootDescriptor(index))).resolves.toBeUndefined();
    // rootBlobSource serves the same without assembling anything: what a registry push reads.
    await expect(validate(rootBlobSource(index), rootDescriptor(index))).resolves.toBeUndefined();
    expect(sha256Digest(rootBytes(index))).toBe(rootDescriptor(index).digest);
    await expect(rootBlobSource(index).get(sha256Digest('nope'))).rejects.toThrow(/not part of this image/);
  });

  it('refuses unknown media types and names the platforms it has', async () => {
    const { source, root } = await dockerImage();
    await expect(loadRoot(source, { ...root, mediaType: 'application/json' })).rejects.toThrow(/neither an index nor an image manifest/);
    const images = rootImages(await loadRoot(source, root));
    expect(() => selectPlatform(images, { os: 'linux', architecture: 'riscv64' })).toThrow(/no image for linux\/riscv64 \(have linux\/amd64, linux\/arm64\/v8\)/);
  });
});

describe('fetchVerified', () => {
  it('checks the size first, then the digest', async () => {
    const bytes = new TextEncoder().encode('blob');
    const source: BlobSource = { get: async () => bytes };
    const good = { mediaType: 'x', digest: sha256Digest(bytes), size: 4 };
    expect(await fetchVerified(source, good)).toBe(bytes);
    await expect(fetchVerified(source, { ...good, size: 5 })).rejects.toThrow(/has 4 bytes, its descriptor says 5/);
    await expect(fetchVerified(source, { ...good, digest: sha256Digest('other') })).rejects.toThrow(OciError);
  });
});

// A layer's two addresses: digest (of the gzip blob) and diff_id (of the tar).
import { describe, expect, it } from 'vitest';
import { MEDIA_TYPE, gunzip, layerDescriptor, layerEntries, layerFromBlob, layerFromEntries, sha256Digest, writeTar, type TarEntry } from '../../scripts/src/oci/index.ts';

const entries: TarEntry[] = [{ type: 'file', path: 'app/hello', data: new TextEncoder().encode('hi'), mode: 0o755 }];

describe('layerFromEntries', () => {
  it('digest is the sha256 of the blob, diff_id the sha256 of the tar', async () => {
    const layer = await layerFromEntries(entries, { epoch: 0 });
    expect(layer.mediaType).toBe(MEDIA_TYPE.OCI_LAYER_GZIP);
    expect(layer.digest).toBe(sha256Digest(layer.bytes));
    expect(layer.size).toBe(layer.bytes.byteLength);
    const tar = await gunzip(layer.bytes);
    expect(Buffer.from(tar).equals(Buffer.from(writeTar(entries, { epoch: 0 })))).toBe(true);
    expect(layer.diffId).toBe(sha256Digest(tar));
    expect(layerDescriptor(layer)).toEqual({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size });
  });

  it('is reproducible, and the epoch changes both addresses', async () => {
    const [a, b, c] = await Promise.all([layerFromEntries(entries, { epoch: 0 }), layerFromEntries(entries, { epoch: 0 }), layerFromEntries(entries, { epoch: 1 })]);
    expect(a.digest).toBe(b.digest);
    expect(c.digest).not.toBe(a.digest);
    expect(c.diffId).not.toBe(a.diffId);
  });

  it('layerFromBlob recovers the same addresses from the compressed bytes', async () => {
    const a = await layerFromEntries(entries, { epoch: 0 });
    const b = await layerFromBlob(a.bytes);
    expect({ digest: b.digest, diffId: b.diffId, size: b.size }).toEqual({ digest: a.digest, diffId: a.diffId, size: a.size });
  });

  it('layerEntries lists a blob (gzip or plain tar), parents included', async () => {
    const a = await layerFromEntries(entries, { epoch: 0 });
    const list = await layerEntries(a.bytes);
    expect(list.map((e) => [e.path, e.type, e.mode])).toEqual([['app', 'dir', 0o755], ['app/hello', 'file', 0o755]]);
    expect((await layerEntries(await gunzip(a.bytes))).map((e) => e.path)).toEqual(['app', 'app/hello']);
  });
});

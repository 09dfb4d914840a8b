// Tiny real images built from bytes for the registry tests: a ustar archive gzipped into a layer,
// an OCI config and manifest per platform, an index over them (optionally with a BuildKit-style
// attestation entry), all served from a Map as a PushSource.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { jsonBytes, sha256Digest } from '../../../scripts/src/oci/digest.ts';
import { MEDIA_TYPE, type Descriptor, type Digest, type ImageIndex, type Manifest } from '../../../scripts/src/oci/types.ts';
import type { PushSource } from '../../../scripts/src/oci/registry/index.ts';

// A ustar archive of regular files (mode 0644, mtime 0, root-owned).
export function tar(files: Readonly<Record<string, Uint8Array | string>>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const header = new Uint8Array(512);
    const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
    put(0, name);
    put(100, '0000644\0');
    put(108, '0000000\0');
    put(116, '0000000\0');
    put(124, `${data.length.toString(8).padStart(11, '0')}\0`);
    put(136, '00000000000\0');
    put(148, '        ');
    put(156, '0');
    put(257, 'ustar\0');
    put(263, '00');
    const sum = header.reduce((a, b) => a + b, 0);
    put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}

export interface TestImage {
  readonly platform: { os: string; architecture: string; variant?: string };
  readonly manifest: Uint8Array;
  readonly descriptor: Descriptor;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly blobs: Map<Digest, Uint8Array>;
}

const describe = (mediaType: string, bytes: Uint8Array): Descriptor => ({ mediaType, digest: sha256Digest(bytes), size: bytes.length });

// One image: a layer holding `files` (plus `randomSize` incompressible bytes when asked).
export function makeImage(platform: string, files: Record<string, string | Uint8Array> = { 'hello.txt': `hello from ${platform}\n` }, randomSize = 0): TestImage {
  const [os, architecture, variant] = platform.split('/') as [string, string, string?];
  const all = randomSize > 0 ? { ...files, 'random.bin': randomBytes(randomSize) } : files;
  const raw = tar(all);
  const layerBytes = new Uint8Array(gzipSync(raw, { level: 1 }));
  const layer = describe(MEDIA_TYPE.OCI_LAYER_GZIP, layerBytes);
  const configBytes = jsonBytes({ architecture, os, ...(variant ? { variant } : {}), config: { Entrypoint: ['/hello'] }, rootfs: { type: 'layers', diff_ids: [sha256Digest(raw)] } });
  const config = describe(MEDIA_TYPE.OCI_CONFIG, configBytes);
  const manifestValue: Manifest = { schemaVersion: 2, mediaType: MEDIA_TYPE.OCI_MANIFEST, config, layers: [layer] };
  const manifest = jsonBytes(manifestValue);
  const p = { os, architecture, ...(variant ? { variant } : {}) };
  return {
    platform: p,
    manifest,
    descriptor: { ...describe(MEDIA_TYPE.OCI_MANIFEST, manifest), platform: p },
    config,
    layers: [layer],
    blobs: new Map([[layer.digest, layerBytes], [config.digest, configBytes]]),
  };
}

// A BuildKit-style attestation manifest for `image`, listed as unknown/unknown in the index.
export function makeAttestation(image: TestImage): { descriptor: Descriptor; manifest: Uint8Array; blobs: Map<Digest, Uint8Array> } {
  const statement = jsonBytes({ _type: 'https://in-toto.io/Statement/v0.1', subject: [{ digest: { sha256: image.descriptor.digest.slice(7) } }] });
  const configBytes = jsonBytes({ architecture: 'unknown', os: 'unknown', rootfs: { type: 'layers', diff_ids: [] } });
  const layer = describe('application/vnd.in-toto+json', statement);
  const config = describe(MEDIA_TYPE.OCI_CONFIG, configBytes);
  const manifest = jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPE.OCI_MANIFEST, config, layers: [layer] });
  const descriptor: Descriptor = {
    ...describe(MEDIA_TYPE.OCI_MANIFEST, manifest),
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': image.descriptor.digest },
  };
  return { descriptor, manifest, blobs: new Map([[layer.digest, statement], [config.digest, configBytes]]) };
}

// A PushSource for one image.
export function imageSource(image: TestImage): PushSource & { reads: Digest[] } {
  return mapSource(image.manifest, new Map([...image.blobs, [image.descriptor.digest, image.manifest]]));
}

// A PushSource for an index over `images` (and attestations for them when asked).
export function indexSource(images: readonly TestImage[], options: { attestations?: boolean } = {}): PushSource & { reads: Digest[]; index: ImageIndex } {
  const blobs = new Map<Digest, Uint8Array>();
  const manifests: Descriptor[] = [];
  for (const image of images) {
    for (const [d, b] of image.blobs) blobs.set(d, b);
    blobs.set(image.descriptor.digest, image.manifest);
    manifests.push(image.descriptor);
  }
  if (options.attestations) {
    for (const image of images) {
      const att = makeAttestation(image);
      for (const [d, b] of att.blobs) blobs.set(d, b);
      blobs.set(att.descriptor.digest, att.manifest);
      manifests.push(att.descriptor);
    }
  }
  const index: ImageIndex = { schemaVersion: 2, mediaType: MEDIA_TYPE.OCI_INDEX, manifests };
  return { ...mapSource(jsonBytes(index), blobs), index };
}

function mapSource(root: Uint8Array, blobs: Map<Digest, Uint8Array>): PushSource & { reads: Digest[] } {
  const reads: Digest[] = [];
  return {
    root,
    reads,
    getBlob(digest) {
      reads.push(digest);
      const bytes = blobs.get(digest);
      if (!bytes) throw new Error(`test source has no blob ${digest}`);
      return bytes;
    },
  };
}

// The error a promise rejects with (fails the test if it resolves).
export async function caught(promise: Promise<unknown>): Promise<Error & { code?: string; temporary?: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; temporary?: boolean };
  }
  throw new Error('expected a rejection');
}

// Push and pull against a real registry (Debian's docker-registry on 127.0.0.1), checked with
// skopeo: a two-platform index, platform selection, attestations, skips, mounts, chunked uploads.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type PushEvent,
  indexPlatforms,
  isRegistryError,
  parseReference,
  pull,
  push,
  RegistryClient,
  resolve,
} from '../../../scripts/src/oci/registry/index.ts';
import { jsonBytes, sha256Digest } from '../../../scripts/src/oci/digest.ts';
import { MEDIA_TYPE, type Digest, type ImageIndex } from '../../../scripts/src/oci/types.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { imageSource, indexSource, makeImage, caught } from './fixtures.ts';

let reg: TestRegistry;
const amd = makeImage('linux/amd64');
const arm = makeImage('linux/arm64');

// What every test below reads: app:v1 (the two-platform index, its first push on a fresh
// registry recorded for the first test) and attested:v1 (the same with attestation entries).
let first: { source: ReturnType<typeof indexSource>; result: Awaited<ReturnType<typeof push>>; events: PushEvent[] };
let attested: ReturnType<typeof indexSource>;
beforeAll(async () => {
  reg = await startRegistry();
  const events: PushEvent[] = [];
  const source = indexSource([amd, arm]);
  first = { source, events, result: await push(source, `${reg.host}/app:v1`, { onEvent: (e) => events.push(e) }) };
  attested = indexSource([amd, arm], { attestations: true });
  await push(attested, `${reg.host}/attested:v1`);
});
afterAll(async () => {
  await reg?.dispose();
});

function skopeo(...args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('a two-platform index', () => {
  test('is pushed children first, index last, and skopeo reads it back', async () => {
    const { source, result, events } = first;

    expect(result.digest).toBe(sha256Digest(source.root));
    expect(result.blobs).toEqual({ skipped: 0, mounted: 0, uploaded: 4 });
    const pushed = events.filter((e) => e.type === 'manifest-pushed');
    expect(pushed.map((e) => e.target)).toEqual(expect.arrayContaining([amd.descriptor.digest, arm.descriptor.digest]));
    expect(pushed.at(-1)).toMatchObject({ target: 'v1', digest: result.digest });
    expect(events.findIndex((e) => e.type === 'manifest-pushed')).toBeGreaterThan(events.findIndex((e) => e.type === 'blob-uploaded'));

    const raw = skopeo('inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/app:v1`);
    expect(sha256Digest(raw)).toBe(result.digest);
    const index = JSON.parse(raw) as ImageIndex;
    expect(index.manifests).toHaveLength(2);
    expect(index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
    const armInspect = JSON.parse(skopeo('inspect', '--tls-verify=false', '--override-arch', 'arm64', `docker://${reg.host}/app:v1`)) as {
      Architecture: string;
      Os: string;
    };
    expect(armInspect).toMatchObject({ Architecture: 'arm64', Os: 'linux' });

    const out = await mkdtemp(join(tmpdir(), 'bs-skopeo-'));
    try {
      skopeo('copy', '--all', '--src-tls-verify=false', `docker://${reg.host}/app:v1`, `oci:${out}:v1`);
      const layout = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as ImageIndex;
      expect(layout.manifests[0]?.digest).toBe(result.digest);
      const layer = await readFile(join(out, 'blobs', 'sha256', arm.layers[0]!.digest.slice(7)));
      expect(sha256Digest(layer)).toBe(arm.layers[0]!.digest);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  test('pulls by platform, recording the digest the tag resolved to', async () => {
    const image = await pull(`${reg.host}/app:v1`, { platform: 'linux/arm64' });
    const pinned = await resolve(`${reg.host}/app:v1`);
    expect(image.digest).toBe(pinned.digest);
    expect(image.reference.digest).toBe(pinned.digest);
    expect(image.manifest.digest).toBe(arm.descriptor.digest);
    expect(image.manifest.platform).toBe('linux/arm64');
    expect(image.config.value).toMatchObject({ os: 'linux', architecture: 'arm64' });
    expect(image.layers.map((l) => sha256Digest(l.bytes))).toEqual([arm.layers[0]!.digest]);
    const amdImage = await pull(`${reg.host}/app@${pinned.digest}`, { platform: 'linux/x86_64', layers: false });
    expect(amdImage.manifest.digest).toBe(amd.descriptor.digest);
    expect(amdImage.layers).toEqual([]);
  });

  test('re-pushing skips every blob (HEAD hits)', async () => {
    const events: PushEvent[] = [];
    const source = indexSource([amd, arm]);
    const result = await push(source, `${reg.host}/app:v1`, { onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'blob-skipped')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'blob-uploaded' || e.type === 'blob-progress')).toHaveLength(0);
    expect(result.blobs).toEqual({ skipped: 4, mounted: 0, uploaded: 0 });
    expect(source.reads.filter((d) => d === amd.layers[0]!.digest)).toHaveLength(0);
  });

  test('mounts blobs from another repository instead of uploading them', async () => {
    const events: PushEvent[] = [];
    const result = await push(indexSource([amd, arm]), `${reg.host}/team/other:v1`, {
      mountFrom: ['app'],
      tags: ['latest'],
      onEvent: (e) => events.push(e),
    });
    expect(result.blobs).toEqual({ skipped: 0, mounted: 4, uploaded: 0 });
    expect(events.filter((e) => e.type === 'blob-mounted').every((e) => e.type === 'blob-mounted' && e.from === 'app')).toBe(true);
    expect(JSON.parse(skopeo('inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/team/other:latest`))).toMatchObject({
      manifests: [{}, {}],
    });
  });
});

describe('attestations and platforms', () => {
  test('attestation entries (unknown/unknown) are pushed but never chosen or listed', async () => {
    expect(attested.index.manifests).toHaveLength(4);
    expect(indexPlatforms(attested.index)).toEqual(['linux/amd64', 'linux/arm64']);
    const image = await pull(`${reg.host}/attested:v1`, { platform: 'linux/amd64' });
    expect(image.manifest.digest).toBe(amd.descriptor.digest);
  });

  test('a missing platform is one line listing the platforms available', async () => {
    const error = await caught(pull(`${reg.host}/attested:v1`, { platform: 'linux/s390x' }));
    expect(error).toMatchObject({ name: 'RegistryError', code: 'REGISTRY_PLATFORM_MISSING' });
    expect(error.message).toBe(
      `${reg.host}/attested:v1 has no linux/s390x image while pulling attested:v1: it has linux/amd64, linux/arm64 (choose one of linux/amd64, linux/arm64, or publish a linux/s390x image)`,
    );
  });

  test('an index without a platform asked for, and a single image of another platform, are errors', async () => {
    expect(await caught(pull(`${reg.host}/app:v1`))).toMatchObject({ code: 'REGISTRY_PLATFORM_MISSING' });
    await push(imageSource(amd), `${reg.host}/single:v1`);
    const single = await pull(`${reg.host}/single:v1`, { platform: 'linux/amd64' });
    expect(single.index).toBeUndefined();
    expect(single.manifest.digest).toBe(amd.descriptor.digest);
    const wrong = await caught(pull(`${reg.host}/single:v1`, { platform: 'linux/arm64' }));
    expect(wrong).toMatchObject({ code: 'REGISTRY_PLATFORM_MISSING' });
    expect(wrong.message).toContain('it is a single linux/amd64 image');
  });

  test('an unknown tag or repository is REGISTRY_NOT_FOUND naming the registry', async () => {
    const error = await caught(pull(`${reg.host}/app:nope`, { platform: 'linux/amd64' }));
    expect(error).toMatchObject({ code: 'REGISTRY_NOT_FOUND', status: 404 });
    expect(error.message).toBe(
      `404 Not Found from ${reg.host} while pulling app:nope: manifest unknown (check the repository name and tag)`,
    );
    expect(isRegistryError(error) && error.hasOciCode('MANIFEST_UNKNOWN')).toBe(true);
  });
});

describe('large blobs', () => {
  test('a blob over the chunk size goes up in PATCH chunks and comes back intact', async () => {
    const big = makeImage('linux/amd64', { 'hello.txt': 'big\n' }, 6 * 1024 * 1024 + 123);
    const layer = big.layers[0]!;
    expect(layer.size).toBeGreaterThan(5 * 1024 * 1024);
    const events: PushEvent[] = [];
    await push(imageSource(big), `${reg.host}/big:v1`, { onEvent: (e) => events.push(e) });
    const progress = events
      .filter((e) => e.type === 'blob-progress' && e.digest === layer.digest)
      .map((e) => (e.type === 'blob-progress' ? e.sent : 0));
    expect(progress).toEqual([5 * 1024 * 1024, layer.size]);

    const client = new RegistryClient();
    const ref = parseReference(`${reg.host}/big:v1`);
    expect(await client.headBlob(ref, layer.digest)).toEqual({ size: layer.size });
    const bytes = await client.getBlob(ref, layer.digest, layer.size);
    expect(sha256Digest(bytes)).toBe(layer.digest);
  });
});

describe('Docker media types, bad sources and aborts', () => {
  test('a Docker manifest list of Docker v2 manifests pushes and pulls like an OCI index', async () => {
    const blobs = new Map<Digest, Uint8Array>();
    const children = [amd, arm].map((image) => {
      for (const [d, b] of image.blobs) blobs.set(d, b);
      const manifest = jsonBytes({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE.DOCKER_MANIFEST,
        config: { ...image.config, mediaType: MEDIA_TYPE.DOCKER_CONFIG },
        layers: image.layers.map((l) => ({ ...l, mediaType: MEDIA_TYPE.DOCKER_LAYER_GZIP })),
      });
      blobs.set(sha256Digest(manifest), manifest);
      return { mediaType: MEDIA_TYPE.DOCKER_MANIFEST, digest: sha256Digest(manifest), size: manifest.length, platform: image.platform };
    });
    const root = jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPE.DOCKER_MANIFEST_LIST, manifests: children });
    const result = await push({ root, getBlob: (d) => blobs.get(d)! }, `${reg.host}/docker-types:v1`);
    expect(result.mediaType).toBe(MEDIA_TYPE.DOCKER_MANIFEST_LIST);
    expect(JSON.parse(skopeo('inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/docker-types:v1`))).toMatchObject({
      mediaType: MEDIA_TYPE.DOCKER_MANIFEST_LIST,
    });
    const image = await pull(`${reg.host}/docker-types:v1`, { platform: 'linux/arm64' });
    expect(image.manifest).toMatchObject({ mediaType: MEDIA_TYPE.DOCKER_MANIFEST, digest: children[1]!.digest });
    expect(image.index?.digest).toBe(result.digest);
  });

  test('a source whose blob does not match its digest is PUSH_SOURCE_INVALID, before anything is tagged', async () => {
    const image = makeImage('linux/amd64', { 'corrupt.txt': 'x' });
    const source = imageSource(image);
    const error = await caught(
      push(
        { root: source.root, getBlob: (d, desc) => (d === image.layers[0]!.digest ? new Uint8Array(desc.size) : source.getBlob(d, desc)) },
        `${reg.host}/corrupt:v1`,
      ),
    );
    expect(error).toMatchObject({ code: 'PUSH_SOURCE_INVALID' });
    expect(error.message).toMatch(/^blob sha256:[a-f0-9]{64} while pushing corrupt:v1: its bytes hash to sha256:/);
    expect(await caught(resolve(`${reg.host}/corrupt:v1`))).toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
  });

  test('an aborted push rejects with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted by the user'));
    await expect(
      push(imageSource(makeImage('linux/amd64', { 'a.txt': 'abort' })), `${reg.host}/aborted:v1`, { signal: controller.signal }),
    ).rejects.toThrow('interrupted by the user');
  });
});

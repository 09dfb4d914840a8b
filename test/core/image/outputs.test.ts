// core/image/outputs.ts: the writers an app image goes through, on a real two-platform index —
// an OCI layout and an OCI archive read back to the same digest, the per-platform digest map,
// and a push to Debian's real docker-registry (test/helpers/registry.ts) resolved back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appIndex } from '../../../scripts/src/core/image/app-image.ts';
import { platformDigests, pushOutput, writeArchiveOutput, writeLayoutOutput } from '../../../scripts/src/core/image/outputs.ts';
import { PLATFORMS } from '../../../scripts/src/core/platform.ts';
import {
  emptyImage,
  findRootDescriptor,
  readOciArchive,
  readLayout,
  rootDescriptor,
  serializeIndex,
  validateLayout,
  type Index,
} from '../../../scripts/src/oci/index.ts';
import { resolve } from '../../../scripts/src/oci/registry/index.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';

let dir: string;
let index: Index;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bs-image-outputs-'));
  const base = { name: 'scratch', images: new Map(PLATFORMS.map((p) => [p.id, emptyImage({ os: p.os, architecture: p.arch })])) };
  const apps = PLATFORMS.map((platform) => ({ platform, bin: 'app', bytes: new TextEncoder().encode(`binary for ${platform.id}`) }));
  index = await appIndex(base, apps, { epoch: 0, labels: { 'org.opencontainers.image.title': 'app' } });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('local outputs', () => {
  test('writeLayoutOutput: a valid layout whose tagged root is the index', async () => {
    const out = join(dir, 'layout');
    await writeLayoutOutput(out, index, 'localhost/app:1.0');
    await validateLayout(out, 'localhost/app:1.0');
    expect(rootDescriptor(await readLayout(out, 'localhost/app:1.0')).digest).toBe(serializeIndex(index).digest);
  });

  test('writeArchiveOutput: one file that reads back as the same tagged index', async () => {
    const file = join(dir, 'image.tar');
    await writeArchiveOutput(file, index, 'localhost/app:1.0', 0);
    const archive = await readOciArchive(file);
    expect(findRootDescriptor(archive, 'localhost/app:1.0').digest).toBe(serializeIndex(index).digest);
  });

  test('platformDigests: one manifest digest per os/architecture, the ones the index lists', () => {
    const manifests = serializeIndex(index).index.manifests;
    expect(platformDigests(index)).toEqual({ 'linux/amd64': manifests[0]!.digest, 'linux/arm64': manifests[1]!.digest });
  });
});

describe('pushOutput to a real registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  }, 60_000);
  afterAll(async () => registry?.dispose());

  test('pushes the index, both manifests and their blobs; the tag resolves to the same digest', async () => {
    const events: string[] = [];
    const ref = `${registry.host}/team/app:1.0`;
    const pushed = await pushOutput(index, ref, { onEvent: (e) => events.push(e.type) });
    expect(pushed.digest).toBe(serializeIndex(index).digest);
    // Every manifest pushed: the two platform manifests (in completion order) and the index itself.
    expect(pushed.manifests.map((m) => m.platform ?? 'index').sort()).toEqual(['index', 'linux/amd64', 'linux/arm64']);
    expect((await resolve(ref, {})).digest).toBe(pushed.digest);
    expect(events.length).toBeGreaterThan(0);
  });
});

// core/image/app-image.ts on real small inputs: a scratch base and a static-base look-alike made
// by oci's assembler, a few bytes as "the binary". Checks the one added layer (paths, modes,
// owners, mtimes), the config (Entrypoint, User, WorkingDir, Env), labels/annotations, the index,
// reproducibility, and that every blob re-hashes (validate).
import { describe, expect, test } from 'vitest';
import { appImage, appIndex, binaryPath, CA_BUNDLE, NONROOT, type AppBinary } from '../../../scripts/src/core/image/app-image.ts';
import type { BaseImages } from '../../../scripts/src/core/image/base.ts';
import { PLATFORMS } from '../../../scripts/src/core/platform.ts';
import {
  assembleStaticBase,
  emptyImage,
  layerEntries,
  rootBlobSource,
  rootDescriptor,
  serializeImage,
  serializeIndex,
  validate,
  type Image,
} from '../../../scripts/src/oci/index.ts';

const [amd64, arm64] = PLATFORMS as [(typeof PLATFORMS)[0], (typeof PLATFORMS)[0]];
const EPOCH = 1_700_000_000;
const LABELS = { 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.version': '1.2.3' };
const bytes = (s: string) => new TextEncoder().encode(s);
const app = (platform = amd64, bin = 'app'): AppBinary => ({ platform, bin, bytes: bytes(`\x7fELF pretend ${platform.id}`) });
const scratch = (platform = amd64) => emptyImage({ os: platform.os, architecture: platform.arch });
const withCa = async () =>
  (
    await assembleStaticBase({
      caBundle: bytes('-----BEGIN CERTIFICATE-----\n'),
      zoneinfo: [],
      versions: { tzdata: 't', caCertificates: 'c' },
    })
  ).images[0]!;

async function lastLayer(image: Image) {
  const layer = image.layers.at(-1)!;
  return layerEntries(layer.bytes ?? (await image.source.get(layer.descriptor.digest, layer.descriptor)));
}

describe('appImage', () => {
  test('adds one layer: the binary at /usr/local/bin/<bin>, 0555, owned by 65532, mtimes from the epoch', async () => {
    const image = await appImage(scratch(), app(), { epoch: EPOCH, labels: LABELS });
    expect(image.layers).toHaveLength(1);
    const entries = await lastLayer(image);
    expect(entries.map((e) => [e.path, e.type, e.mode, e.uid, e.gid])).toEqual([
      ['usr', 'dir', 0o755, 0, 0],
      ['usr/local', 'dir', 0o755, 0, 0],
      ['usr/local/bin', 'dir', 0o755, 0, 0],
      ['usr/local/bin/app', 'file', 0o555, NONROOT, NONROOT],
    ]);
    expect(entries.every((e) => e.mtime === EPOCH && e.uname === '' && e.gname === '')).toBe(true);
    expect(new TextDecoder().decode(entries.at(-1)!.data)).toBe('\x7fELF pretend linux/amd64');
    expect(binaryPath('app')).toBe('/usr/local/bin/app');
  });

  test('on scratch: Entrypoint, User 65532, WorkingDir /, a PATH, no SSL_CERT_FILE; created and history from the epoch', async () => {
    const image = await appImage(scratch(), app(), { epoch: EPOCH, labels: LABELS });
    expect(image.config.config).toMatchObject({
      Entrypoint: ['/usr/local/bin/app'],
      User: '65532',
      WorkingDir: '/',
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Labels: LABELS,
    });
    expect(image.config.created).toBe('2023-11-14T22:13:20Z');
    expect(image.config.history?.at(-1)).toMatchObject({
      created: '2023-11-14T22:13:20Z',
      created_by: 'build-static: COPY app /usr/local/bin/app',
    });
    expect(image.annotations).toEqual(LABELS);
  });

  test('on a base with a CA bundle and a PATH: SSL_CERT_FILE is set, PATH is not repeated, the base layer stays first', async () => {
    const base = await withCa();
    const image = await appImage(base, app(), { epoch: EPOCH, labels: LABELS });
    const env = image.config.config?.Env ?? [];
    expect(env.filter((e) => e.startsWith('PATH='))).toHaveLength(1);
    expect(env).toContain(`SSL_CERT_FILE=${CA_BUNDLE}`);
    expect(image.layers.map((l) => l.descriptor.digest)).toEqual([base.layers[0]!.descriptor.digest, image.layers[1]!.descriptor.digest]);
  });

  test("the base's annotations are replaced by the app's labels", async () => {
    const image = await appImage(await withCa(), app(), { epoch: 0, labels: { 'org.opencontainers.image.title': 'app' } });
    expect(image.annotations).toEqual({ 'org.opencontainers.image.title': 'app' });
  });

  test('same inputs give the same digest; another epoch or binary another', async () => {
    const digest = async (epoch: number, a = app()) => serializeImage(await appImage(scratch(), a, { epoch, labels: LABELS })).digest;
    expect(await digest(EPOCH)).toBe(await digest(EPOCH));
    expect(await digest(EPOCH + 1)).not.toBe(await digest(EPOCH));
    expect(await digest(EPOCH, { ...app(), bytes: bytes('other') })).not.toBe(await digest(EPOCH));
  });
});

describe('appIndex', () => {
  const base: BaseImages = { name: 'scratch', images: new Map([amd64, arm64].map((p) => [p.id, scratch(p)])) };

  test('one image per platform, in the order given, with the labels on the index; every blob re-hashes', async () => {
    const index = await appIndex(base, [app(amd64), app(arm64)], { epoch: EPOCH, labels: LABELS });
    const serialized = serializeIndex(index);
    expect(serialized.index.manifests.map((m) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux' },
    ]);
    expect(serialized.index.annotations).toEqual(LABELS);
    await validate(rootBlobSource(index), rootDescriptor(index));
  });

  test('a platform without a base image is a programming error, not a silent skip', async () => {
    const onlyAmd64: BaseImages = { name: 'scratch', images: new Map([[amd64.id, scratch(amd64)]]) };
    await expect(appIndex(onlyAmd64, [app(arm64)], { epoch: 0, labels: {} })).rejects.toThrow(/no base for linux\/arm64/);
  });
});

// Image values: canonical config/manifest bytes, and the mutations (append, configure, created,
// annotations) as pure functions.
import { describe, expect, it } from 'vitest';
import {
  MEDIA_TYPE, annotate, appendLayers, configure, emptyImage, layerFromEntries, mergeEnv, serializeImage, setCreated, sha256Digest, type Image,
} from '../../scripts/src/oci/index.ts';
import { expectValidRoot } from './helpers.ts';

const amd64 = { architecture: 'amd64', os: 'linux' };
const file = (path: string, text: string) => ({ type: 'file' as const, path, data: new TextEncoder().encode(text), mode: 0o755 });

async function sample(): Promise<Image> {
  const base = await layerFromEntries([file('etc/passwd', 'root:x:0:0::/:/sbin/nologin\n')], { epoch: 0 });
  const app = await layerFromEntries([file('app', 'binary')], { epoch: 0 });
  let image = appendLayers(emptyImage(amd64), [base], { createdBy: 'base', epoch: 0 });
  image = configure(image, { env: { PATH: '/bin', TZ: 'UTC' }, cmd: ['/bin/sh'], user: '0' });
  image = appendLayers(image, [app], { createdBy: 'build-static image: /app', epoch: 1_700_000_000 });
  image = configure(image, { entrypoint: ['/app'], user: '65532', workingDir: '/', env: { PATH: '/usr/bin:/bin', RUST_LOG: 'info' }, labels: { a: '1' }, exposedPorts: ['8080', '9090/udp'] });
  return annotate(setCreated(image, 1_700_000_000), { 'org.opencontainers.image.source': 'https://example.invalid/repo' });
}

describe('serializeImage', () => {
  it('writes config and manifest in spec order with rootfs derived from the layers', async () => {
    const image = await sample();
    const s = serializeImage(image);
    const config = JSON.parse(new TextDecoder().decode(s.configBytes));
    expect(Object.keys(config)).toEqual(['created', 'architecture', 'os', 'config', 'rootfs', 'history']);
    expect(config.created).toBe('2023-11-14T22:13:20Z');
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: image.layers.map((l) => l.diffId) });
    expect(Object.keys(config.config)).toEqual(['User', 'ExposedPorts', 'Env', 'Entrypoint', 'WorkingDir', 'Labels']);
    expect(config.config).toMatchObject({ User: '65532', Entrypoint: ['/app'], Env: ['PATH=/usr/bin:/bin', 'TZ=UTC', 'RUST_LOG=info'], ExposedPorts: { '8080/tcp': {}, '9090/udp': {} } });
    expect(config.config.Cmd).toBeUndefined(); // a new entrypoint drops the inherited Cmd, as in a Dockerfile
    expect(config.history).toEqual([
      { created: '1970-01-01T00:00:00Z', created_by: 'base' },
      { created: '2023-11-14T22:13:20Z', created_by: 'build-static image: /app' },
    ]);
    expect(s.manifest).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE.OCI_MANIFEST,
      config: { mediaType: MEDIA_TYPE.OCI_CONFIG, digest: sha256Digest(s.configBytes), size: s.configBytes.byteLength },
      layers: image.layers.map((l) => l.descriptor),
      annotations: { 'org.opencontainers.image.source': 'https://example.invalid/repo' },
    });
    expect(s.digest).toBe(sha256Digest(s.manifestBytes));
    expect(s.descriptor).toEqual({ mediaType: MEDIA_TYPE.OCI_MANIFEST, digest: s.digest, size: s.manifestBytes.byteLength, platform: amd64 });
    await expectValidRoot(image);
  });

  it('mutations never change the value they start from', async () => {
    const image = await sample();
    const before = serializeImage(image).digest;
    configure(image, { user: 'root', env: { X: '1' } });
    annotate(image, { x: 'y' }, { replace: true });
    expect(serializeImage(image).digest).toBe(before);
    expect(serializeImage(configure(image, { cmd: ['--help'] })).digest).not.toBe(before);
  });

  it('an empty image is valid and has no layers', async () => {
    const image = emptyImage({ architecture: 'arm64', os: 'linux', variant: 'v8' });
    const s = serializeImage(image);
    expect(s.manifest.layers).toEqual([]);
    expect(s.platform).toEqual({ architecture: 'arm64', os: 'linux', variant: 'v8' });
    await expectValidRoot(image);
  });
});

describe('mergeEnv', () => {
  it('replaces by name in place and appends new names in order', () => {
    expect(mergeEnv(['A=1', 'B=2=x'], { B: '3', C: '4', A: '0' })).toEqual(['A=0', 'B=3', 'C=4']);
  });
});

// pushIndexOf against a real registry (Debian's docker-registry on 127.0.0.1), read back with
// skopeo: one image per platform, pushed separately, becomes one index at a tag.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseReference, push, pushIndexOf } from '../../../scripts/src/oci/registry/index.ts';
import { sha256Digest } from '../../../scripts/src/oci/digest.ts';
import { type ImageIndex, MEDIA_TYPE } from '../../../scripts/src/oci/types.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { caught, imageSource, indexSource, makeImage } from './fixtures.ts';

let reg: TestRegistry;
const amd = makeImage('linux/amd64');
const arm = makeImage('linux/arm64/v8');
const ref = (tag: string, repo = 'app') => parseReference(`${reg.host}/${repo}:${tag}`);

beforeAll(async () => {
  reg = await startRegistry();
  await push(imageSource(amd), `${reg.host}/app:1-amd64`);
  await push(imageSource(arm), `${reg.host}/app:1-arm64`);
});
afterAll(async () => {
  await reg?.dispose();
});

const raw = (tag: string) => execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/app:${tag}`], { encoding: 'utf8' });

describe('pushIndexOf', () => {
  test('two single-platform images become one OCI index with their platforms from the configs', async () => {
    const result = await pushIndexOf(ref('1'), [ref('1-amd64'), ref('1-arm64')]);
    const text = raw('1');
    expect(sha256Digest(text)).toBe(result.digest);
    const index = JSON.parse(text) as ImageIndex;
    expect(index.mediaType).toBe(MEDIA_TYPE.OCI_INDEX);
    expect(index.manifests.map((m) => [m.digest, m.size, m.platform])).toEqual([
      [amd.descriptor.digest, amd.manifest.length, { os: 'linux', architecture: 'amd64' }],
      [arm.descriptor.digest, arm.manifest.length, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ]);
    const picked = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', '--override-arch', 'arm64', `docker://${reg.host}/app:1`], { encoding: 'utf8' })) as { Architecture: string; Os: string };
    expect(picked).toMatchObject({ Architecture: 'arm64', Os: 'linux' });
  });

  test('an index among the sources contributes its runnable entries, not its attestations', async () => {
    const riscv = makeImage('linux/riscv64');
    await push(indexSource([riscv], { attestations: true }), `${reg.host}/app:2-riscv`);
    const result = await pushIndexOf(ref('2'), [ref('1-amd64'), ref('2-riscv')]);
    expect(result.manifests.map((m) => m.digest)).toEqual([amd.descriptor.digest, riscv.descriptor.digest]);
    expect((JSON.parse(raw('2')) as ImageIndex).manifests).toHaveLength(2);
  });

  test.each([
    ['another repository', () => [ref('1-amd64'), ref('x', 'other')], 'is not in', 'REFERENCE_INVALID'],
    ['two images for one platform', () => [ref('1-amd64'), ref('1-amd64')], 'two images for linux/amd64', 'REFERENCE_INVALID'],
    ['a missing tag', () => [ref('1-amd64'), ref('nope')], '', 'REGISTRY_NOT_FOUND'],
  ] as const)('%s is refused and nothing is written', async (_name, sources, message, code) => {
    const error = await caught(pushIndexOf(ref('refused'), sources()));
    expect(error.message).toContain(message);
    expect(error.code).toBe(code);
    expect(() => raw('refused')).toThrow();
  });
});

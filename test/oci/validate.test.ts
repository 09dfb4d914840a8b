// The validator catches each kind of corruption, and reports all of them at once. Corruptions
// are made on a copy of a good layout; JSON edits re-hash every blob that points at the edited one
// (up to index.json), so only the intended inconsistency remains.
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OciError, appendLayers, emptyImage, findProblems, imageIndex, jsonBytes, layerFromEntries, openLayout, sha256Digest, validateLayout, writeLayout, type Digest,
} from '../../scripts/src/oci/index.ts';
import { expectValidLayout, scratch } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let good: string;
beforeAll(async () => {
  ({ dir, cleanup } = await scratch('validate'));
  const shared = await layerFromEntries([{ type: 'file', path: 'etc/passwd', data: new TextEncoder().encode('root:x:0:0::/:/sbin/nologin\n') }], { epoch: 0 });
  const images = await Promise.all(['amd64', 'arm64'].map(async (architecture) => {
    const app = await layerFromEntries([{ type: 'file', path: 'app', data: new TextEncoder().encode(`binary for ${architecture}`), mode: 0o755 }], { epoch: 0 });
    return appendLayers(emptyImage({ architecture, os: 'linux' }), [shared, app], { createdBy: 'test' });
  }));
  good = join(dir, 'good');
  await writeLayout(good, imageIndex(images), { tag: 'v1' });
  await expectValidLayout(good);
});
afterAll(async () => cleanup?.());

async function copy(name: string): Promise<string> {
  const out = join(dir, name);
  await rm(out, { recursive: true, force: true });
  await cp(good, out, { recursive: true });
  return out;
}
const blobPath = (layout: string, digest: string) => join(layout, 'blobs', 'sha256', digest.slice(7));
const readJson = async (layout: string, digest: string) => JSON.parse(await readFile(blobPath(layout, digest), 'utf8'));

// Writes new bytes in place of a blob and repoints (and re-hashes) everything that referenced it.
async function replaceBlob(layout: string, old: string, bytes: Uint8Array): Promise<void> {
  const digest = sha256Digest(bytes);
  await writeFile(blobPath(layout, digest), bytes);
  const pattern = new RegExp(`"digest":"${old}","size":\\d+`, 'g');
  const replacement = `"digest":"${digest}","size":${bytes.byteLength}`;
  for (const name of await readdir(join(layout, 'blobs', 'sha256'))) {
    const text = await readFile(join(layout, 'blobs', 'sha256', name), 'latin1');
    if (name !== digest.slice(7) && pattern.test(text)) await replaceBlob(layout, `sha256:${name}`, new TextEncoder().encode(text.replace(pattern, replacement)));
  }
  const index = await readFile(join(layout, 'index.json'), 'utf8');
  await writeFile(join(layout, 'index.json'), index.replace(pattern, replacement));
}
async function editJson(layout: string, digest: string, edit: (value: any) => void): Promise<void> {
  const value = await readJson(layout, digest);
  edit(value);
  await replaceBlob(layout, digest, jsonBytes(value));
}

interface Digests { index: Digest; manifests: Digest[]; configs: Digest[]; layers: Digest[][] }
async function digests(layout: string): Promise<Digests> {
  const { index } = await openLayout(layout);
  const root = index.manifests[0]!.digest;
  const manifests = (await readJson(layout, root)).manifests.map((d: { digest: Digest }) => d.digest);
  const bodies = await Promise.all(manifests.map((m: string) => readJson(layout, m)));
  return { index: root, manifests, configs: bodies.map((m) => m.config.digest), layers: bodies.map((m) => m.layers.map((l: { digest: Digest }) => l.digest)) };
}
async function problems(layout: string): Promise<readonly string[]> {
  const error = await validateLayout(layout).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OciError);
  expect((error as OciError).code).toBe('OCI_INVALID');
  expect((error as OciError).detail).toBe((error as OciError).problems.join('\n'));
  return (error as OciError).problems;
}

const corruptions: Record<string, (layout: string, d: Digests) => Promise<void>> = {
  'flipped byte in a layer': async (layout, d) => {
    const path = blobPath(layout, d.layers[0]![1]!);
    const bytes = await readFile(path);
    bytes[bytes.byteLength - 6]! ^= 0x01; // the gzip CRC: the blob no longer matches its digest
    await writeFile(path, bytes);
  },
  'wrong size': (layout, d) => editJson(layout, d.manifests[0]!, (m) => void (m.layers[1].size += 1)),
  'wrong diff_id': (layout, d) => editJson(layout, d.configs[1]!, (c) => void (c.rootfs.diff_ids[1] = sha256Digest('something else'))),
  'wrong layer media type': (layout, d) => editJson(layout, d.manifests[1]!, (m) => void (m.layers[0].mediaType = 'application/octet-stream')),
  'wrong config media type': (layout, d) => editJson(layout, d.manifests[0]!, (m) => void (m.config.mediaType = 'application/json')),
  'duplicate platform': (layout, d) => editJson(layout, d.index, (i) => void (i.manifests[1].platform = { ...i.manifests[0].platform })),
  'missing blob': async (layout, d) => rm(blobPath(layout, d.layers[0]![0]!)), // the layer both platforms share
};
const expected: Record<string, RegExp[]> = {
  'flipped byte in a layer': [/linux\/amd64 layer 2\/2 sha256:[0-9a-f]{12} has sha256 [0-9a-f:sh]+ \(content does not match its digest\)/, /linux\/amd64 layer 2\/2 .* cannot be decompressed/],
  'wrong size': [/linux\/amd64 layer 2\/2 sha256:[0-9a-f]{12} is \d+ bytes, its descriptor says \d+/],
  'wrong diff_id': [/linux\/arm64 layer 2\/2 .* uncompressed has sha256 sha256:[0-9a-f]{64}, but the config's diff_id is sha256:/],
  'wrong layer media type': [/linux\/arm64 layer 1\/2 has unknown media type application\/octet-stream/],
  'wrong config media type': [/linux\/amd64 config has media type application\/json, expected application\/vnd\.oci\.image\.config\.v1\+json/],
  'duplicate platform': [/index lists platform linux\/amd64 2 times/, /linux\/amd64 \(manifest 2\) config is for linux\/arm64, the index says linux\/amd64/],
  'missing blob': [/linux\/amd64 layer 1\/2 sha256:[0-9a-f]{12} cannot be read: blob sha256:[0-9a-f]{64} is missing from /],
};

describe('validateLayout', () => {
  for (const [name, corrupt] of Object.entries(corruptions)) {
    it(`catches: ${name}`, async () => {
      const layout = await copy(name.replace(/ /g, '-'));
      await corrupt(layout, await digests(layout));
      const found = await problems(layout);
      for (const pattern of expected[name]!) expect(found.some((p) => pattern.test(p)), `${pattern} in:\n${found.join('\n')}`).toBe(true);
    });
  }

  it('lists every problem at once when everything is wrong', async () => {
    const layout = await copy('everything');
    for (const corrupt of Object.values(corruptions)) await corrupt(layout, await digests(layout));
    const found = await problems(layout);
    // The duplicate platform relabels the arm64 image "linux/amd64 (manifest 2)", so match any of those names here.
    const anyArch = (pattern: RegExp) => new RegExp(pattern.source.replace(/linux\\\/a[mr][dm]64(?: \\\(manifest \\d\\\))?/g, 'linux\\/a(?:md|rm)64(?: \\(manifest \\d\\))?'));
    for (const patterns of Object.values(expected)) for (const pattern of patterns.map(anyArch)) expect(found.some((p) => pattern.test(p)), `${pattern} in:\n${found.join('\n')}`).toBe(true);
    expect(found.length).toBeGreaterThanOrEqual(9);
    const error = await validateLayout(layout).catch((e: OciError) => e);
    expect(error!.message).toMatch(new RegExp(`is not a valid OCI image: .* \\(and ${found.length - 1} more\\)$`));
  });

  it('a flipped byte in a manifest is caught, and the walk still checks what it points to', async () => {
    const layout = await copy('manifest-byte');
    const { manifests, layers } = await digests(layout);
    const text = await readFile(blobPath(layout, manifests[1]!), 'utf8');
    await writeFile(blobPath(layout, manifests[1]!), text.replace('"schemaVersion":2', '"schemaVersion":3'));
    await rm(blobPath(layout, layers[1]![1]!));
    const found = await problems(layout);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^linux\/arm64 manifest sha256:[0-9a-f]{12} has sha256 .* \(content does not match its digest\)$/),
      expect.stringMatching(/^linux\/arm64 manifest has schemaVersion 3, expected 2$/),
      expect.stringMatching(/^linux\/arm64 layer 2\/2 .* cannot be read/),
    ]));
  });

  it('the core works on any BlobSource and returns [] for a sound image', async () => {
    const layout = await openLayout(good);
    expect(await findProblems(layout.source, layout.index.manifests[0]!)).toEqual([]);
  });
});

// images/mimalloc/build.mjs, run as users run it: one index with linux/amd64 and linux/arm64, each
// layer holding both libraries for its machine, reproducible digests, a real push that skopeo
// reads back — and the amd64 layer's library observed in use by Debian's jq.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseElf, symbolNames } from '../../scripts/src/elf/index.ts';
import { gunzip, readLayout, readTar, rootImages, serializeImage, type TarReadEntry } from '../../scripts/src/oci/index.ts';
import { PLATFORMS } from '../../scripts/src/core/platform.ts';
import { REPO } from '../helpers/cli.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { expectValidLayout, runOk } from '../oci/helpers.ts';

const BUILD = join(REPO, 'images/mimalloc/build.mjs');
const work = mkdtempSync(join(tmpdir(), 'bs-images-mimalloc-'));
let registry: TestRegistry | undefined;
afterAll(async () => {
  await registry?.dispose();
  rmSync(work, { recursive: true, force: true });
});

const build = (args: string[], epoch = '1700000000') =>
  spawnSync(process.execPath, [BUILD, ...args], { cwd: REPO, env: { ...process.env, SOURCE_DATE_EPOCH: epoch }, encoding: 'utf8', timeout: 600_000 });
const built = (args: string[], epoch?: string) => {
  const r = build(args, epoch);
  if (r.status !== 0) throw new Error(`build.mjs ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as { version: string; index: string; manifests: Record<string, string>; pushed?: { ref: string; digest: string } };
};

let first: ReturnType<typeof built>;
let layers: Map<string, Map<string, TarReadEntry>>;
beforeAll(async () => {
  first = built([join(work, 'a')]);
  layers = new Map();
  for (const image of rootImages(await readLayout(join(work, 'a'), 'latest'))) {
    const tar = await gunzip(await image.source.get(image.layers[0]!.descriptor.digest));
    layers.set(serializeImage(image).platform.architecture, new Map(readTar(tar).map((e) => [e.path, e])));
  }
}, 600_000);

describe('images/mimalloc', () => {
  test('one valid index over linux/amd64 and linux/arm64, labelled with the mimalloc version', async () => {
    await expectValidLayout(join(work, 'a'), 'latest');
    const images = rootImages(await readLayout(join(work, 'a'), 'latest'));
    expect(images.map((i) => serializeImage(i).platform)).toEqual([{ architecture: 'amd64', os: 'linux' }, { architecture: 'arm64', os: 'linux' }]);
    expect(Object.keys(first.manifests)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(first.version).toMatch(/^3\.\d+\.\d+$/);
    for (const image of images) {
      expect(image.layers).toHaveLength(1);
      expect(image.config.created).toBe('2023-11-14T22:13:20Z');
      expect(image.config.config?.Entrypoint).toBeUndefined();
      expect(image.config.config?.Env).toEqual(['MIMALLOC_LD_PRELOAD=/usr/lib/mimalloc/libmimalloc.so', 'MIMALLOC_SECURE_LD_PRELOAD=/usr/lib/mimalloc/libmimalloc-secure.so']);
      expect(image.config.config?.Labels).toMatchObject({ 'org.opencontainers.image.version': first.version, 'dev.build-static.mimalloc.version': first.version, 'dev.build-static.mimalloc.glibc-floor': '2.34' });
      expect(image.annotations['org.opencontainers.image.version']).toBe(first.version);
    }
    const raw = JSON.parse(await runOk('skopeo', ['inspect', '--raw', `oci:${join(work, 'a')}:latest`]));
    expect(raw.annotations['org.opencontainers.image.version']).toBe(first.version);
  });

  test('each layer holds both libraries built for its machine, root-owned, and the licence', () => {
    for (const platform of PLATFORMS) {
      const files = layers.get(platform.arch)!;
      expect([...files.keys()].sort()).toEqual(['usr', 'usr/lib', 'usr/lib/mimalloc', 'usr/lib/mimalloc/libmimalloc-secure.so', 'usr/lib/mimalloc/libmimalloc.so', 'usr/share', 'usr/share/doc', 'usr/share/doc/mimalloc', 'usr/share/doc/mimalloc/LICENSE']);
      for (const name of ['libmimalloc.so', 'libmimalloc-secure.so']) {
        const entry = files.get(`usr/lib/mimalloc/${name}`)!;
        expect(entry).toMatchObject({ mode: 0o644, uid: 0, gid: 0, mtime: 1700000000 });
        const elf = parseElf(entry.data);
        expect(elf.machine, `${platform.arch} ${name}`).toBe(platform.elfMachine);
        expect(elf.type).toBe('DYN');
        expect(elf.dynamic?.soname).toBe(`${name}.3`);
        for (const s of ['malloc', 'free', 'mi_version']) expect(symbolNames(elf.dynamicSymbols, 'defined').has(s)).toBe(true);
      }
      expect(new TextDecoder().decode(files.get('usr/share/doc/mimalloc/LICENSE')!.data)).toMatch(/MIT License/);
    }
  });

  test('the amd64 layer\'s libraries are used by jq through LD_PRELOAD', () => {
    for (const [name, level] of [['libmimalloc.so', 0], ['libmimalloc-secure.so', 4]] as const) {
      const lib = join(work, name);
      writeFileSync(lib, layers.get('amd64')!.get(`usr/lib/mimalloc/${name}`)!.data);
      const r = spawnSync('/usr/bin/jq', ['-n', '6*7'], { env: { LD_PRELOAD: lib, MIMALLOC_VERBOSE: '1' }, encoding: 'utf8' });
      expect(r.stdout.trim()).toBe('42');
      expect(r.stderr).toMatch(new RegExp(`mimalloc: process init[\\s\\S]*secure level: ${level}`));
    }
  });

  test('same inputs and SOURCE_DATE_EPOCH give the same digests; another epoch another index', () => {
    const again = built([join(work, 'b')]);
    expect(again.index).toBe(first.index);
    expect(again.manifests).toEqual(first.manifests);
    expect(built([join(work, 'c')], '0').index).not.toBe(first.index);
  }, 600_000);

  test('--push sends the index to a real registry; skopeo reads both platforms back', async () => {
    registry = await startRegistry();
    const ref = `${registry.host}/build-static/mimalloc:${first.version}`;
    const r = built([join(work, 'd'), '--push', ref]);
    expect(r.pushed).toEqual({ ref, digest: first.index });
    const raw = JSON.parse(await runOk('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]));
    expect(raw.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(raw.manifests.map((m: { digest: string; platform: { architecture: string } }) => [m.platform.architecture, m.digest])).toEqual([['amd64', first.manifests['linux/amd64']], ['arm64', first.manifests['linux/arm64']]]);
    const arm = JSON.parse(await runOk('skopeo', ['inspect', '--tls-verify=false', '--override-arch', 'arm64', `docker://${ref}`]));
    expect(arm.Labels['org.opencontainers.image.version']).toBe(first.version);
  }, 300_000);

  test('bad input: one line, exit 2, no layout written', () => {
    for (const [args, epoch, message] of [
      [[join(work, 'x1'), join(work, 'x2')], '0', /one OUT directory at most, got 2/],
      [[join(work, 'x1')], 'yesterday', /SOURCE_DATE_EPOCH must be a whole number of seconds, got "yesterday"/],
      [[join(work, 'x1'), '--pushh', 'r'], '0', /Unknown option '--pushh'/],
      [[join(work, 'x1'), '--push', 'Not A Ref!'], '0', /Not A Ref!/],
    ] as const) {
      const r = build([...args], epoch);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
      expect(existsSync(join(work, 'x1'))).toBe(false);
    }
  });
});

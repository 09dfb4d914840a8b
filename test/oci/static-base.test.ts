// The cgr.dev/chainguard/static stand-in: the files it promises, nothing executable, both
// platforms, reproducible, and readable by skopeo.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzip, readLayout, readTar, rootDescriptor, rootImages, serializeImage, type Image, type TarReadEntry } from '../../scripts/src/oci/index.ts';
import { buildStaticBase } from '../../scripts/src/core/image/static-base.ts';
import { REPO, expectValidLayout, hashTree, runOk, scratch, staticBase } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let base: string;
let images: readonly Image[];
let files: Map<string, TarReadEntry>;
beforeAll(async () => {
  ({ dir, cleanup } = await scratch('static-base'));
  base = await staticBase(dir);
  images = rootImages(await readLayout(base, 'latest'));
  const layer = images[0]!.layers[0]!;
  const tar = await gunzip(await images[0]!.source.get(layer.descriptor.digest));
  files = new Map(readTar(tar).map((e) => [e.path, e]));
}, 120_000);
afterAll(async () => cleanup?.());

const text = (path: string) => new TextDecoder().decode(files.get(path)!.data);

describe('static-base', () => {
  it('has linux/amd64 and linux/arm64 sharing one layer, running as nonroot', () => {
    expect(images.map((i) => serializeImage(i).platform)).toEqual([{ architecture: 'amd64', os: 'linux' }, { architecture: 'arm64', os: 'linux' }]);
    expect(images[0]!.layers.map((l) => l.descriptor.digest)).toEqual(images[1]!.layers.map((l) => l.descriptor.digest));
    for (const image of images) {
      expect(image.config.config).toMatchObject({ User: '65532', Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'] });
      expect(image.config.created).toBe('1970-01-01T00:00:00Z');
    }
  });

  it('has root, nobody and nonroot users and groups, and their homes', () => {
    expect(text('etc/passwd').split('\n').filter(Boolean).map((l) => l.split(':').slice(0, 6).join(':'))).toEqual([
      'root:x:0:0:root:/root', 'nobody:x:65534:65534:nobody:/nonexistent', 'nonroot:x:65532:65532:nonroot:/home/nonroot',
    ]);
    expect(text('etc/group')).toBe('root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n');
    expect(files.get('home/nonroot')).toMatchObject({ type: 'dir', uid: 65532, gid: 65532, mode: 0o755 });
    expect(files.get('root')).toMatchObject({ type: 'dir', uid: 0, mode: 0o700 });
    expect(files.get('tmp')).toMatchObject({ type: 'dir', uid: 0, mode: 0o1777 });
    expect(text('etc/os-release')).toMatch(/^ID=build-static-static-base$/m);
  });

  it("carries Debian's CA bundle and tzdata byte for byte", async () => {
    expect(Buffer.from(files.get('etc/ssl/certs/ca-certificates.crt')!.data).equals(await readFile('/etc/ssl/certs/ca-certificates.crt'))).toBe(true);
    expect(files.get('etc/ssl/cert.pem')).toMatchObject({ type: 'symlink', linkname: 'certs/ca-certificates.crt' });
    for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Tokyo']) {
      const entry = files.get(`usr/share/zoneinfo/${zone}`)!;
      const host = await readFile(`/usr/share/zoneinfo/${zone}`);
      expect(entry.type === 'symlink' || Buffer.from(entry.data).equals(host), zone).toBe(true);
    }
    expect([...files.keys()].filter((p) => p.startsWith('usr/share/zoneinfo/')).length).toBeGreaterThan(1000);
  });

  it('has no shell and nothing executable: no exec bits, no ELF files, no bin directories', () => {
    const executable = [...files.values()].filter((e) => e.type === 'file' && (e.mode & 0o111) !== 0).map((e) => e.path);
    expect(executable).toEqual([]);
    const elf = [...files.values()].filter((e) => e.type === 'file' && e.data[0] === 0x7f && e.data[1] === 0x45).map((e) => e.path);
    expect(elf).toEqual([]);
    expect([...files.keys()].filter((p) => /^(usr\/)?s?bin(\/|$)/.test(p))).toEqual([]);
    expect([...files.values()].every((e) => e.uname === '' && e.gname === '' && e.mtime === 0)).toBe(true);
  });

  it('is reproducible: a second build is identical file for file', async () => {
    await buildStaticBase(join(dir, 'again'), { epoch: 0 });
    await expectValidLayout(join(dir, 'again'));
    expect(await hashTree(join(dir, 'again'))).toEqual(await hashTree(base));
  });

  it('images/static-base/build.mjs (the built library, as users run it) writes the same layout', async () => {
    const lib = join(REPO, 'scripts/dist/index.js');
    if (!existsSync(lib)) throw new Error(`${lib} is missing: run "npm run build" (npm test does it first)`);
    const out = join(dir, 'script');
    const printed = JSON.parse(await runOk(process.execPath, [join(REPO, 'images/static-base/build.mjs'), out], { env: { ...process.env, SOURCE_DATE_EPOCH: '0' } }));
    await expectValidLayout(out, 'latest');
    expect(printed.index).toBe(rootDescriptor(await readLayout(base)).digest);
    expect(await hashTree(out)).toEqual(await hashTree(base));
  });

  it('skopeo sees both platforms', async () => {
    for (const arch of ['amd64', 'arm64']) {
      const inspect = JSON.parse(await runOk('skopeo', ['inspect', '--override-os', 'linux', '--override-arch', arch, `oci:${base}:latest`]));
      expect(inspect).toMatchObject({ Architecture: arch, Os: 'linux' });
      expect(inspect.Layers).toEqual(images[0]!.layers.map((l) => l.descriptor.digest));
    }
  });
});

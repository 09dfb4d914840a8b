// End to end with podman 4.3 (rootful, runc): a static C hello-world for amd64 and arm64 on top
// of the static base, written as an oci-archive, loaded and run. What podman does with archives:
// `podman load -i` takes an oci-archive; for a multi-platform index it loads only the image for
// the host's platform. Other platforms come in with `podman pull --platform linux/arm64
// oci-archive:FILE` (one per call), or `podman load` of a single-platform archive. A layout
// directory also loads, but is named after its path (ref.name is ignored; capitals in the path make
// it fail). arm64 runs under qemu-user through binfmt_misc.
import { existsSync, readFileSync } from 'node:fs';
import { cp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  annotate, appendLayers, configure, imageIndex, layerFromEntries, readLayout, rootImages, selectPlatform, serializeImage, setCreated, writeLayout, writeOciArchive,
  type Image, type Index,
} from '../../scripts/src/oci/index.ts';
import { compileHello, expectValidLayout, run, runOk, scratch, staticBase } from './helpers.ts';

const NAME = `localhost/build-static-oci-test:${process.pid}`;
const ARCH = { amd64: 'x86_64', arm64: 'aarch64' } as const;

let dir: string;
let cleanup: () => Promise<void>;
let index: Index;
const loaded = new Set<string>();

beforeAll(async () => {
  if (process.arch !== 'x64') throw new Error(`this test expects an amd64 host (podman loads the host's platform; musl-gcc builds amd64); host is ${process.arch}`);
  ({ dir, cleanup } = await scratch('podman'));
  const base = rootImages(await readLayout(await staticBase(dir), 'latest'));
  const images: Image[] = [];
  for (const arch of ['amd64', 'arm64'] as const) {
    const binary = new Uint8Array(await readFile(await compileHello(dir, arch)));
    const layer = await layerFromEntries([{ type: 'file', path: 'app/hello', data: binary, mode: 0o755 }], { epoch: 0 });
    const image = appendLayers(selectPlatform(base, { os: 'linux', architecture: arch }), [layer], { createdBy: 'build-static test: /app/hello', epoch: 0 });
    images.push(annotate(setCreated(configure(image, { entrypoint: ['/app/hello'] }), 0), { 'org.opencontainers.image.title': 'hello' }, { replace: true }));
  }
  index = imageIndex(images);
  await writeLayout(join(dir, 'layout'), index, { tag: NAME });
  await expectValidLayout(join(dir, 'layout'));
  await writeOciArchive(join(dir, 'multi.tar'), index, { tag: NAME });
  await writeOciArchive(join(dir, 'arm64.tar'), images[1]!, { tag: NAME });
  await writeLayout(join(dir, 'arm64-layout'), images[1]!, { tag: NAME });
  await expectValidLayout(join(dir, 'arm64-layout'));
}, 300_000);

afterAll(async () => {
  for (const id of loaded) await runOk('podman', ['rmi', '--force', id]).catch(() => undefined);
  await cleanup?.();
});

// Image id from `podman load` / `podman pull` output, remembered for cleanup.
async function imageId(ref: string): Promise<string> {
  const id = (await runOk('podman', ['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  loaded.add(id);
  return id;
}
const inspect = async (id: string, format: string) => (await runOk('podman', ['image', 'inspect', '--format', format, id])).trim();

function requireArm64Binfmt(): void {
  const entry = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
  if (!existsSync(entry) || !readFileSync(entry, 'utf8').startsWith('enabled')) {
    throw new Error(`arm64 containers need qemu-user-static registered with binfmt_misc (${entry} is missing or disabled); as root: `
      + 'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64');
  }
}

describe('podman', () => {
  it('load -i of the multi-platform archive loads the host (amd64) image under the tag, and it runs', async () => {
    const out = await runOk('podman', ['load', '-i', join(dir, 'multi.tar')]);
    expect(out).toContain(`Loaded image: ${NAME}`);
    const id = await imageId(NAME);
    expect(await inspect(id, '{{.Architecture}} {{.Os}} {{.Config.User}}')).toBe('amd64 linux 65532');
    expect(id).toBe(serializeImage(index.images[0]!).manifest.config.digest.slice(7));
    const run = await runOk('podman', ['run', '--rm', '--pull=never', id]);
    expect(run.trim()).toBe(`hello from ${ARCH.amd64} uid=65532 passwd=yes ca=yes sh=no`);
  }, 120_000);

  it('pull --platform linux/arm64 oci-archive: takes the arm64 image from the same archive; it runs under qemu', async () => {
    requireArm64Binfmt();
    await runOk('podman', ['pull', '--platform', 'linux/arm64', `oci-archive:${join(dir, 'multi.tar')}`]);
    const id = await imageId(NAME);
    expect(await inspect(id, '{{.Architecture}}')).toBe('arm64');
    expect(id).toBe(serializeImage(index.images[1]!).manifest.config.digest.slice(7));
    const run = await runOk('podman', ['run', '--rm', '--pull=never', '--platform', 'linux/arm64', id]);
    expect(run.trim()).toBe(`hello from ${ARCH.arm64} uid=65532 passwd=yes ca=yes sh=no`);
  }, 180_000);

  it('load -i of a single-platform arm64 archive loads that image', async () => {
    requireArm64Binfmt();
    expect(await runOk('podman', ['load', '-i', join(dir, 'arm64.tar')])).toContain(`Loaded image: ${NAME}`);
    const id = await imageId(NAME);
    expect(await inspect(id, '{{.Architecture}}')).toBe('arm64');
    expect((await runOk('podman', ['run', '--rm', '--pull=never', '--platform', 'linux/arm64', id])).trim()).toMatch(/^hello from aarch64 /);
  }, 180_000);

  it('load -i of a layout directory ignores the tag: the image is named after the path, which must be lowercase', async () => {
    const lower = join(tmpdir(), `bs-oci-podman-${process.pid}`, 'arm64-layout');
    await cp(join(dir, 'arm64-layout'), lower, { recursive: true });
    try {
      expect(await runOk('podman', ['load', '-i', lower])).toContain(`Loaded image: localhost${lower}`);
      expect(await inspect(await imageId(`localhost${lower}`), '{{.Architecture}}')).toBe('arm64');
      await cp(join(dir, 'arm64-layout'), join(dir, 'Arm64-Layout'), { recursive: true });
      const upper = await run('podman', ['load', '-i', join(dir, 'Arm64-Layout')]);
      expect(upper.code).not.toBe(0);
      expect(upper.stderr).toContain('repository name must be lowercase');
    } finally {
      await rm(dirname(lower), { recursive: true, force: true });
    }
  }, 180_000);
});

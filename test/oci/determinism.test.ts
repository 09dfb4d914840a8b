// Reproducibility: the same image built in this process and in a child process with another time
// zone and umask has identical bytes in every file (layout and archive) and identical digests.
// Deno 2 builds it too: same tars, diff_ids and configs, but its node:zlib deflates differently,
// so layer blobs (and the manifests that name them) get other digests — see gzip.ts.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLayout } from '../../scripts/src/oci/index.ts';
import { buildSample } from './fixtures/build-sample.ts';
import { REPO, expectValidLayout, hashTree, scratch } from './helpers.ts';

const SCRIPT = join(REPO, 'test/oci/fixtures/build-sample.ts');
const VITE_NODE = join(REPO, 'node_modules/vite-node/vite-node.mjs');
const cache = process.env.BUILD_STATIC_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'build-static');
const DENO = join(cache, 'deno', 'node_modules', '@deno', 'linux-x64-glibc', 'deno');

type Sample = Awaited<ReturnType<typeof buildSample>>;

// Runs build-sample.ts in a child under `sh -c 'umask …; exec …'` with TZ set; returns its JSON.
function child(argv: readonly string[], out: string, tz: string, umask: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const proc = spawn('sh', ['-c', `umask ${umask} && exec "$@"`, 'sh', ...argv], {
      cwd: REPO, env: { ...process.env, TZ: tz, BUILD_SAMPLE_OUT: out, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`${argv.join(' ')} exited with ${code}:\n${stderr}\n${stdout}`));
      resolve(JSON.parse(line) as Sample);
    });
  });
}

let dir: string;
let cleanup: () => Promise<void>;
let here: Sample;
beforeAll(async () => {
  ({ dir, cleanup } = await scratch('determinism'));
  here = await buildSample(join(dir, 'here'));
  await expectValidLayout(join(dir, 'here', 'layout'));
  await expectValidLayout(join(dir, 'here', 'base'));
}, 120_000);
afterAll(async () => cleanup?.());

describe('reproducible images', () => {
  it('a node child with TZ=Pacific/Kiritimati and umask 077 writes identical bytes', async () => {
    if (!existsSync(VITE_NODE)) throw new Error(`${VITE_NODE} is missing: run npm install (vite-node comes with vitest)`);
    const there = await child([process.execPath, VITE_NODE, SCRIPT], join(dir, 'there'), 'Pacific/Kiritimati', '077');
    expect(there).toEqual(here);
    await expectValidLayout(join(dir, 'there', 'layout'));
    const [a, b] = [await hashTree(join(dir, 'here')), await hashTree(join(dir, 'there'))];
    expect(b).toEqual(a);
    expect((await readFile(join(dir, 'there', 'sample.tar'))).equals(await readFile(join(dir, 'here', 'sample.tar')))).toBe(true);
    // Modes are explicit, not the umask's.
    for (const path of ['layout/index.json', 'layout/blobs/sha256', 'sample.tar']) {
      expect((await stat(join(dir, 'there', path))).mode & 0o777, path).toBe((await stat(join(dir, 'here', path))).mode & 0o777);
    }
  }, 120_000);

  it('a different epoch changes the digests (the epoch is the only time input)', async () => {
    const other = await buildSample(join(dir, 'epoch'), 0);
    await expectValidLayout(join(dir, 'epoch', 'layout'));
    expect(other.index).not.toBe(here.index);
    expect(other.diffIds).not.toEqual(here.diffIds);
  });

  it('Deno 2 builds the same tars and configs (layer gzip bytes differ: another deflate)', async () => {
    if (!existsSync(DENO)) throw new Error(`Deno is not installed at ${DENO}: run ./setup.sh (it installs @deno/linux-x64-glibc from the npm registry)`);
    const deno = await child([DENO, 'run', '--allow-all', SCRIPT], join(dir, 'deno'), 'America/St_Johns', '027');
    await expectValidLayout(join(dir, 'deno', 'layout'));
    expect(deno.diffIds).toEqual(here.diffIds);
    expect(deno.configs).toEqual(here.configs);
    const index = (await openLayout(join(dir, 'deno', 'layout'))).index;
    expect(index.manifests[0]!.annotations).toEqual({ 'org.opencontainers.image.ref.name': 'sample:v1' });
  }, 120_000);
});

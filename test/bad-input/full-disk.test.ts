// A full disk under every output: a 2 MB tmpfs (mounted here, as root) as the parent of --out,
// --oci-layout, --tarball, plan -o and dockerfile --out. Each write fails with one line and exit 1,
// the earlier OUT and the filler file stay byte-identical, and no temporary file is left behind.
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { app } from './fixtures.ts';
import { expectOneLine, expectUntouched, snapshot } from './harness.ts';

let disk = '';
let project = '';

// Fills the tmpfs until only `leave` bytes are free (a filler file, appended to).
async function fill(leave: number): Promise<void> {
  const handle = await open(join(disk, 'filler'), 'a');
  try {
    for (;;) {
      const s = await statfs(disk);
      const free = s.bavail * s.bsize - leave;
      if (free <= 0) break;
      await handle.write(new Uint8Array(Math.min(free, 64 * 1024)).fill(7)).catch(() => undefined);
      if (free < 4096) break;
    }
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  disk = await mkdtemp(join(tmpdir(), 'bs-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk]);
  } catch (error) {
    throw new Error(`THIS TEST CANNOT RUN: mounting a 2 MB tmpfs at ${disk} failed (needs root): ${(error as Error).message}`);
  }
  project = await mkdtemp(join(tmpdir(), 'bs-full-project-'));
  await app()(project);
}, 60_000);

afterAll(async () => {
  if (disk) execFileSync('umount', [disk], { stdio: 'ignore' });
  if (disk) await rm(disk, { recursive: true, force: true });
});

test('build --out on a full disk: exit 1, the earlier OUT kept, no temp left', async () => {
  const first = await runCli(['build', project, '--platform', 'linux/amd64', '--out', join(disk, 'out')]);
  expect(first.code, first.stderr).toBe(0);
  await fill(16 * 1024);
  const before = await snapshot(disk);
  const r = await runCli(['build', project, '--platform', 'linux/amd64', '--out', join(disk, 'out')]);
  expectOneLine(r, 1, /cannot write .*out: .*(ENOSPC|no space left)/i);
  expectUntouched(before, await snapshot(disk));
}, 300_000);

test.each([
  ['plan -o', (d: string) => ['plan', project, '-o', join(d, 'recipe.json')], /cannot write the recipe to .*(ENOSPC|no space)/i],
  ['dockerfile --out', (d: string) => ['dockerfile', project, '--out', join(d, 'Dockerfile')], /cannot write .*(ENOSPC|no space)/i],
  ['image --tarball', (d: string) => ['image', project, '--platform', 'linux/amd64', '--base', 'scratch', '--tarball', join(d, 'app.tar')], /cannot write the OCI archive .*(ENOSPC|no space)/i],
  ['image --oci-layout', (d: string) => ['image', project, '--platform', 'linux/amd64', '--base', 'scratch', '--oci-layout', join(d, 'img')], /cannot write the OCI layout .*(ENOSPC|no space)/i],
] as const)('%s on a full disk: exit 1, one line, nothing left', async (_name, args, message) => {
  await fill(0);
  const before = await snapshot(disk);
  const r = await runCli(args(disk));
  expectOneLine(r, 1, message);
  expectUntouched(before, await snapshot(disk));
}, 300_000);

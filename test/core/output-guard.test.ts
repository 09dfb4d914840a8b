// The output rule on real files: what is created, what is replaced (only our own earlier
// outputs, proven by their markers), what is refused, and what not even --force may replace.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { isBuildOutput, writeOutDir } from '../../scripts/src/core/build/output.ts';
import { isOwnArchive, isOwnLayout } from '../../scripts/src/core/image/outputs.ts';
import { claimOutput } from '../../scripts/src/core/output-guard.ts';
import { emptyImage, imageIndex, writeLayout, writeOciArchive } from '../../scripts/src/oci/index.ts';

const temp = () => mkdtemp(join(tmpdir(), 'bs-guard-'));
const claim = (path: string, extra: Partial<Parameters<typeof claimOutput>[0]> = {}) => claimOutput({ path, flag: '--out', kind: 'dir', force: false, ...extra });

test('a new path is created; an empty directory is used', async () => {
  const dir = await temp();
  await expect(claim(join(dir, 'new'))).resolves.toBe(join(dir, 'new'));
  await mkdir(join(dir, 'empty'));
  await expect(claim(join(dir, 'empty'))).resolves.toBe(join(dir, 'empty'));
});

test('a directory of other files is refused, naming --force; --force replaces it', async () => {
  const dir = await temp();
  await writeFile(join(dir, 'mine.txt'), 'x');
  await expect(claim(dir)).rejects.toThrow(/already exists and is not build-static's own output: choose a new path, or pass --force/);
  await expect(claim(dir, { force: true })).resolves.toBe(dir);
  await expect(claim(dir, { force: undefined })).rejects.toThrow(/: choose a new path$/);
});

test.each([
  ['the current directory', () => process.cwd(), /is the current directory/],
  ['a parent of the current directory', () => join(process.cwd(), '..'), /holds the current directory/],
  ['$HOME', () => homedir(), /is your home directory/],
  ['/', () => '/', /is the root directory/],
  ['an empty path', () => ' ', /is empty/],
])('%s is refused even with --force', async (_name, path, message) => {
  await expect(claim(path(), { force: true })).rejects.toMatchObject({ code: 'OUTPUT_REFUSED', message: expect.stringMatching(message) });
});

test('a protected input, or a directory holding one, is refused even with --force', async () => {
  const dir = await temp();
  await mkdir(join(dir, 'project'));
  await expect(claim(join(dir, 'project'), { force: true, protect: [join(dir, 'project')] })).rejects.toThrow(/is .*an input of this command/);
  await expect(claim(dir, { force: true, protect: [join(dir, 'project')] })).rejects.toThrow(/holds .*an input of this command/);
});

test('the wrong kind and symlinks are refused even with --force', async () => {
  const dir = await temp();
  await writeFile(join(dir, 'file'), 'x');
  await symlink(join(dir, 'file'), join(dir, 'link'));
  await expect(claim(join(dir, 'file'), { force: true })).rejects.toThrow(/is not a directory/);
  await expect(claim(dir, { force: true, kind: 'file' })).rejects.toThrow(/is not a regular file/);
  await expect(claim('/dev/null', { force: true, kind: 'file' })).rejects.toThrow(/is not a regular file/);
  await expect(claim(join(dir, 'link'), { force: true, kind: 'file' })).rejects.toThrow(/is a symlink/);
});

test("build's OUT, an OCI layout and an OCI archive written by build-static are recognised as its own", async () => {
  const dir = await temp();
  await writeOutDir(join(dir, 'out'), new Map([['linux-amd64/app', new Uint8Array([1])]]), { schemaVersion: 1, profile: 'release', features: [], outputs: [] });
  expect(await isBuildOutput(join(dir, 'out'))).toBe(true);
  await writeFile(join(dir, 'out', 'thesis.tex'), 'x');
  expect(await isBuildOutput(join(dir, 'out')), 'a user file inside makes it not ours').toBe(false);

  const index = imageIndex([emptyImage({ os: 'linux', architecture: 'amd64' })]);
  await writeLayout(join(dir, 'layout'), index, { tag: 'latest' });
  expect(await isOwnLayout(join(dir, 'layout'))).toBe(true);
  await writeOciArchive(join(dir, 'image.tar'), index, { tag: 'latest' });
  expect(await isOwnArchive(join(dir, 'image.tar'))).toBe(true);
  await writeFile(join(dir, 'other.tar'), new Uint8Array(8192));
  expect(await isOwnArchive(join(dir, 'other.tar'))).toBe(false);
  await writeFile(join(dir, 'layout', 'notes'), 'x');
  expect(await isOwnLayout(join(dir, 'layout'))).toBe(false);
});

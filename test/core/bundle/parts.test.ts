// The small pure parts: globs, command splitting, nsswitch.conf, strace output, the tree's safety.
import { mkdtemp, mkdir, symlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { nssModules } from '../../../scripts/src/core/bundle/extras.ts';
import { expandGlob, pathGlobToRegExp } from '../../../scripts/src/core/bundle/glob.ts';
import { splitCommand } from '../../../scripts/src/core/bundle/run-test.ts';
import { parseStrace } from '../../../scripts/src/core/bundle/trace.ts';
import { BundleTree } from '../../../scripts/src/core/bundle/tree.ts';
import { prepareOut, writeTree } from '../../../scripts/src/core/bundle/write.ts';

test('globs', async () => {
  expect(pathGlobToRegExp('/usr/lib/**/*.so').test('/usr/lib/a/b/c.so')).toBe(true);
  expect(pathGlobToRegExp('/usr/lib/**/*.so').test('/usr/lib/c.so')).toBe(true);
  expect(pathGlobToRegExp('/etc/*.conf').test('/etc/x/y.conf')).toBe(false);
  expect(await expandGlob('/etc/ld.so.conf.d/*.con[f]')).toContain('/etc/ld.so.conf.d/x86_64-linux-gnu.conf');
  await expect(expandGlob('etc/*')).rejects.toThrow(/absolute/);
});

test('command lines split like a shell, without a shell', () => {
  expect(splitCommand(`sqlite3 :memory: 'select 1;' "a \\"b\\"" c\\ d`)).toEqual(['sqlite3', ':memory:', 'select 1;', 'a "b"', 'c d']);
});

test('nsswitch.conf services become module sonames', () => {
  expect(nssModules('passwd: files systemd\nhosts: files [NOTFOUND=return] dns # c\nbogus: x\n')).toEqual(['libnss_dns.so.2', 'libnss_files.so.2', 'libnss_systemd.so.2']);
});

test('strace output: successful opens and stats, relative paths, pseudo file systems dropped', () => {
  const out = parseStrace([
    '12 openat(AT_FDCWD, "/usr/lib/python3.11/os.py", O_RDONLY|O_CLOEXEC) = 3',
    '12 openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)',
    '12 newfstatat(AT_FDCWD, "/usr/lib/python3.11", {st_mode=S_IFDIR|0755, ...}, 0) = 0',
    '12 openat(AT_FDCWD, "rel.txt", O_RDONLY) = 4',
    '12 openat(AT_FDCWD, "/proc/self/maps", O_RDONLY) = 5',
    '12 newfstatat(3, "", {st_mode=S_IFREG|0644, ...}, AT_EMPTY_PATH) = 0',
    '12 +++ exited with 0 +++',
  ].join('\n'), '/work');
  expect(out).toEqual({ opened: ['/usr/lib/python3.11/os.py', '/work/rel.txt'], statted: ['/usr/lib/python3.11'] });
});

describe('safety', () => {
  test('nothing goes below a symlink of the bundle, and paths stay inside it', () => {
    const tree = new BundleTree();
    tree.put('/lib', { type: 'symlink', target: '/etc' });
    expect(() => tree.put('/lib/x', { type: 'dir', mode: 0o755 })).toThrow(/through the bundle's symlink \/lib/);
    expect(() => tree.put('/a/../../x', { type: 'dir', mode: 0o755 })).not.toThrow();
    expect([...tree.nodes.keys()]).toContain('/x');
    expect(() => tree.put('relative', { type: 'dir', mode: 0o755 })).toThrow(/absolute/);
  });
  test('OUT: a symlink or a non-empty directory is refused; --force empties it; links are written, never followed', async () => {
    const base = await mkdtemp(join(tmpdir(), 'bs-bundle-'));
    await mkdir(join(base, 'victim'));
    await symlink(join(base, 'victim'), join(base, 'link'));
    await expect(prepareOut(join(base, 'link'), true)).rejects.toThrow(/is a symlink/);
    await mkdir(join(base, 'full'));
    await writeFile(join(base, 'full', 'keep'), 'x');
    await expect(prepareOut(join(base, 'full'), false)).rejects.toThrow(/not empty.*--force/);
    const { root } = await prepareOut(join(base, 'full'), true);
    const tree = new BundleTree();
    tree.put('/etc', { type: 'symlink', target: join(base, 'victim') });
    tree.put('/f', { type: 'file', source: '/etc/hostname', size: 1, mode: 0o644 });
    await writeTree(root, tree);
    expect((await readdir(root)).sort()).toEqual(['etc', 'f']);
    expect(await readdir(join(base, 'victim'))).toEqual([]);
  });
});

// core/image/static-base.ts, the Debian side of the static base: package versions from a dpkg
// status file, zoneinfo from tzdata's file list, and one clear error for each missing piece.
// (test/oci/static-base.test.ts checks the whole image built from this machine's packages.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEBIAN_PATHS, debianStaticBaseFiles, debianVersion, zoneinfoEntries } from '../../../scripts/src/core/image/static-base.ts';

const STATUS = [
  'Package: tzdata\nStatus: install ok installed\nVersion: 2025b-0+deb12u1\n',
  'Package: ca-certificates\nStatus: deinstall ok config-files\nVersion: 20230311\n',
  'Package: tzdata-legacy\nStatus: install ok installed\nVersion: 1\n',
].join('\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bs-static-base-debian-'));
  await writeFile(join(dir, 'status'), STATUS);
  await writeFile(join(dir, 'tzdata.list'), '/.\n/usr\n/usr/share/doc/tzdata\n');
  await writeFile(join(dir, 'utc.list'), '/usr/share/zoneinfo/Etc/UTC\n/usr/share/zoneinfo/UTC\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('debianVersion', () => {
  test('the version of an installed package, not of a package whose name it prefixes', async () => {
    expect(await debianVersion(join(dir, 'status'), 'tzdata')).toBe('2025b-0+deb12u1');
  });

  test('a removed or unknown package is OCI_INVALID with the apt-get line', async () => {
    for (const pkg of ['ca-certificates', 'nonexistent']) {
      await expect(debianVersion(join(dir, 'status'), pkg)).rejects.toMatchObject({
        code: 'OCI_INVALID',
        message: `Debian package ${pkg} is not installed (apt-get install ${pkg})`,
      });
    }
  });

  test('an unreadable status file is OCI_IO naming the file', async () => {
    await expect(debianVersion(join(dir, 'missing'), 'tzdata')).rejects.toMatchObject({
      code: 'OCI_IO',
      message: expect.stringContaining(join(dir, 'missing')),
    });
  });
});

describe('zoneinfoEntries', () => {
  test("only /usr/share/zoneinfo paths, sorted, with this machine's files and symlinks", async () => {
    const entries = await zoneinfoEntries(join(dir, 'utc.list'));
    expect(entries.map((e) => e.path)).toEqual(['/usr/share/zoneinfo/Etc/UTC', '/usr/share/zoneinfo/UTC']);
    for (const e of entries) expect(['file', 'symlink']).toContain(e.type);
  });

  test('a list without zoneinfo paths is OCI_INVALID saying to reinstall tzdata', async () => {
    await expect(zoneinfoEntries(join(dir, 'tzdata.list'))).rejects.toMatchObject({
      code: 'OCI_INVALID',
      message: expect.stringMatching(/reinstall tzdata/),
    });
  });
});

test("debianStaticBaseFiles on this machine: Debian's CA bundle and versions", async () => {
  const files = await debianStaticBaseFiles(DEBIAN_PATHS);
  expect(new TextDecoder().decode(files.caBundle.slice(0, 27))).toBe('-----BEGIN CERTIFICATE-----');
  expect(files.versions.tzdata).toMatch(/^\d{4}[a-z]/);
  expect(files.zoneinfo.length).toBeGreaterThan(1000);
});

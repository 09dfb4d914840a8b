// core/image/labels.ts: SOURCE_DATE_EPOCH parsing, RFC 3339 times, the sorted OCI annotation set,
// and the git revision read from a real repository made here.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gitRevision, imageAnnotations, rfc3339, sourceDateEpoch } from '../../../scripts/src/core/image/labels.ts';

describe('sourceDateEpoch', () => {
  test.each([
    [undefined, 0],
    ['', 0],
    ['0', 0],
    ['1700000000', 1_700_000_000],
  ])('SOURCE_DATE_EPOCH=%j is %d', (raw, epoch) => {
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: raw })).toBe(epoch);
  });

  test.each(['-1', '1.5', '1e9', 'yesterday', ' 1'])('SOURCE_DATE_EPOCH=%j is a USAGE error naming the value', (raw) => {
    expect(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: raw })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining(`"${raw}"`) }),
    );
  });
});

test('rfc3339: whole seconds, UTC, no milliseconds', () => {
  expect(rfc3339(0)).toBe('1970-01-01T00:00:00Z');
  expect(rfc3339(1_700_000_000)).toBe('2023-11-14T22:13:20Z');
});

describe('imageAnnotations', () => {
  test('every key set, in sorted order', () => {
    const annotations = imageAnnotations({
      name: 'server',
      version: '1.2.3',
      repository: 'https://example.com/server',
      description: 'a server',
      revision: 'a'.repeat(40),
      epoch: 0,
      baseName: 'cgr.dev/chainguard/static:latest',
      baseDigest: `sha256:${'b'.repeat(64)}`,
    });
    expect(Object.keys(annotations)).toEqual([...Object.keys(annotations)].sort());
    expect(annotations).toEqual({
      'org.opencontainers.image.base.digest': `sha256:${'b'.repeat(64)}`,
      'org.opencontainers.image.base.name': 'cgr.dev/chainguard/static:latest',
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
      'org.opencontainers.image.description': 'a server',
      'org.opencontainers.image.revision': 'a'.repeat(40),
      'org.opencontainers.image.source': 'https://example.com/server',
      'org.opencontainers.image.title': 'server',
      'org.opencontainers.image.version': '1.2.3',
    });
  });

  test('null, undefined and empty values are left out', () => {
    expect(imageAnnotations({ name: 'server', version: '0.1.0', repository: null, description: '', epoch: 5 })).toEqual({
      'org.opencontainers.image.created': '1970-01-01T00:00:05Z',
      'org.opencontainers.image.title': 'server',
      'org.opencontainers.image.version': '0.1.0',
    });
  });
});

describe('gitRevision', () => {
  let dir: string;
  let head: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bs-labels-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', join(dir, 'repo'), ...args], { encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '-q', join(dir, 'repo')]);
    execFileSync('mkdir', ['-p', join(dir, 'plain')]);
    await writeFile(join(dir, 'repo', 'Cargo.toml'), '[package]\nname = "x"\n');
    git('add', 'Cargo.toml');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'one');
    head = git('rev-parse', 'HEAD');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test("a git checkout's HEAD commit", async () => {
    expect(await gitRevision(join(dir, 'repo'))).toBe(head);
    expect(head).toMatch(/^[0-9a-f]{40}$/);
  });

  test('undefined outside a repository or before the first commit', async () => {
    expect(await gitRevision(join(dir, 'plain'))).toBeUndefined();
    execFileSync('git', ['init', '-q', join(dir, 'empty')]);
    expect(await gitRevision(join(dir, 'empty'))).toBeUndefined();
  });
});

// Image references parse the way `docker pull` reads them, bad ones fail with one line saying
// which part is wrong, and plain HTTP is allowed only for loopback or listed registries.
import { describe, expect, test } from 'vitest';
import { allowsPlainHttp, apiHost, formatReference, manifestTarget, parseReference, shortName } from '../../../scripts/src/oci/registry/index.ts';

const D = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  test.each([
    ['alpine', 'docker.io', 'library/alpine', 'latest', undefined],
    ['alpine:3.20', 'docker.io', 'library/alpine', '3.20', undefined],
    ['library/alpine', 'docker.io', 'library/alpine', 'latest', undefined],
    ['docker.io/library/alpine:3', 'docker.io', 'library/alpine', '3', undefined],
    ['index.docker.io/library/alpine', 'docker.io', 'library/alpine', 'latest', undefined],
    ['user/app', 'docker.io', 'user/app', 'latest', undefined],
    ['cgr.dev/chainguard/static', 'cgr.dev', 'chainguard/static', 'latest', undefined],
    ['cgr.dev/chainguard/static:latest-glibc', 'cgr.dev', 'chainguard/static', 'latest-glibc', undefined],
    [`ghcr.io/owner/app@${D}`, 'ghcr.io', 'owner/app', undefined, D],
    [`ghcr.io/owner/app:1.0@${D}`, 'ghcr.io', 'owner/app', '1.0', D],
    ['localhost:5000/app', 'localhost:5000', 'app', 'latest', undefined],
    ['localhost/app:v1', 'localhost', 'app', 'v1', undefined],
    ['127.0.0.1:5001/team/app:v1', '127.0.0.1:5001', 'team/app', 'v1', undefined],
    ['[::1]:5000/app:v1', '[::1]:5000', 'app', 'v1', undefined],
    ['registry.example.com:443/a/b/c:tag_1.2-x', 'registry.example.com:443', 'a/b/c', 'tag_1.2-x', undefined],
    ['my-registry.local/a__b/c.d-e:X', 'my-registry.local', 'a__b/c.d-e', 'X', undefined],
    ['Registry.Example.com/app', 'Registry.Example.com', 'app', 'latest', undefined],
  ])('%s', (text, registry, repository, tag, digest) => {
    const ref = parseReference(text);
    expect(ref).toEqual({ registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) });
    expect(parseReference(formatReference(ref))).toEqual(ref);
  });

  test.each([
    ['', 'it is empty'],
    [' alpine', 'it contains whitespace'],
    ['a b', 'it contains whitespace'],
    ['App', 'repository names must be lowercase, got "App" (use "app")'],
    ['docker.io/Library/alpine', 'repository names must be lowercase'],
    ['ghcr.io/Owner/App:v1', 'repository names must be lowercase'],
    ['alpine:', 'bad tag ""'],
    ['alpine:-bad', 'bad tag "-bad"'],
    [`alpine:${'a'.repeat(129)}`, 'bad tag'],
    ['alpine:v1!', 'bad tag "v1!"'],
    ['alpine@sha256:abc', 'the digest must be "sha256:" and 64 lowercase hex characters'],
    [`alpine@sha256:${'A'.repeat(64)}`, 'the digest must be'],
    [`alpine@sha512:${'a'.repeat(128)}`, 'only sha256 digests are supported'],
    ['ghcr.io/', 'the repository name is missing'],
    ['ghcr.io//app', 'bad repository component ""'],
    ['app/-x', 'bad repository component "-x"'],
    ['app/x-', 'bad repository component "x-"'],
    ['bad_host:5000/app', 'bad registry host "bad_host:5000"'],
    ['https://ghcr.io/owner/app', 'leave out the URL scheme'],
    [`ghcr.io/${'a'.repeat(250)}`, 'the name is longer than 255 characters'],
  ])('rejects %j', (text, why) => {
    let error: (Error & { code?: string }) | undefined;
    try {
      parseReference(text);
    } catch (e) {
      error = e as Error & { code?: string };
    }
    expect(error).toMatchObject({ name: 'RegistryError', code: 'REFERENCE_INVALID' });
    expect(error?.message).toContain(`invalid image reference "${text}": ${why}`);
    expect(error?.message).not.toContain('\n');
  });

  test('defaults and helpers', () => {
    expect(parseReference('app', { defaultTag: 'dev' }).tag).toBe('dev');
    expect(manifestTarget(parseReference(`app:1@${D}`))).toBe(D);
    expect(manifestTarget(parseReference('app:1'))).toBe('1');
    expect(shortName(parseReference('ghcr.io/o/app:1'))).toBe('o/app:1');
    expect(formatReference(parseReference('alpine'))).toBe('docker.io/library/alpine:latest');
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('ghcr.io')).toBe('ghcr.io');
  });
});

describe('allowsPlainHttp', () => {
  test.each([
    ['127.0.0.1:5000', [], true],
    ['127.8.9.10', [], true],
    ['localhost', [], true],
    ['localhost:5000', [], true],
    ['[::1]:5000', [], true],
    ['ghcr.io', [], false],
    ['10.0.0.5:5000', [], false],
    ['10.0.0.5:5000', ['10.0.0.5:5000'], true],
    ['10.0.0.5:5000', ['10.0.0.5'], true],
    ['10.0.0.5:5000', ['10.0.0.5:6000'], false],
    ['localhost.evil.com', [], false],
    ['127.0.0.1.nip.io', [], false],
  ] as const)('%s with %j → %s', (registry, insecure, expected) => {
    expect(allowsPlainHttp(registry, insecure)).toBe(expected);
  });
});

// Auth against real registries: htpasswd Basic auth (credentials from a docker config.json or a
// podman auth.json written by `podman login`) and Bearer tokens from a token service the
// registry trusts (anonymous pull, scoped push, cross-repository mount scope, token caching).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileKeychain, parseChallenges, pull, push, type PushEvent, staticKeychain } from '../../../scripts/src/oci/registry/index.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';
import { imageSource, indexSource, makeImage, caught } from './fixtures.ts';

const user = { username: 'builder', password: 's3cret:with:colons' };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bs-auth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test.each([
  [
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
    [
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull' },
      },
    ],
  ],
  ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
  ['bearer realm=https://r/t, service=x', [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 'x' } }]],
  [
    'Basic realm="a", Bearer realm="b",scope="repository:x:pull,push",error="insufficient_scope"',
    [
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'b', scope: 'repository:x:pull,push', error: 'insufficient_scope' } },
    ],
  ],
  ['', []],
])('parseChallenges(%j)', (header, expected) => {
  expect(parseChallenges(header)).toEqual(expected);
});

describe('a registry with htpasswd Basic auth', () => {
  let reg: TestRegistry;
  const image = makeImage('linux/amd64');
  beforeAll(async () => {
    reg = await startRegistry({ htpasswd: user });
  });
  afterAll(async () => {
    await reg?.dispose();
  });
  const empty = () => ({ env: {}, home: join(dir, 'nobody') });

  test('without credentials: 401 as one line naming the registry and how to log in', async () => {
    const error = await caught(push(imageSource(image), `${reg.host}/app:v1`, { keychain: fileKeychain(empty()) }));
    expect(error).toMatchObject({ name: 'RegistryError', code: 'REGISTRY_UNAUTHORIZED', status: 401, temporary: false });
    expect(error.message).toBe(
      `401 Unauthorized from ${reg.host} while pushing app:v1: no credentials for ${reg.host} (run "podman login ${reg.host}" or add it to ~/.docker/config.json)`,
    );
  });

  test('wrong credentials are "rejected", and not retried', async () => {
    const events: PushEvent[] = [];
    const error = await caught(
      push(imageSource(image), `${reg.host}/app:v1`, {
        keychain: staticKeychain({ [reg.host]: { username: 'builder', password: 'nope' } }),
        onEvent: (e) => events.push(e),
      }),
    );
    expect(error.message).toBe(
      `401 Unauthorized from ${reg.host} while pushing app:v1: the credentials for ${reg.host} were rejected (run "podman login ${reg.host}" again, or fix its entry in ~/.docker/config.json)`,
    );
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
  });

  test('credentials from a docker config.json in $DOCKER_CONFIG', async () => {
    const dockerConfig = join(dir, 'docker');
    await mkdir(dockerConfig, { recursive: true });
    const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
    await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [`http://${reg.host}/v2/`]: { auth } } }));
    const keychain = fileKeychain({ env: { DOCKER_CONFIG: dockerConfig }, home: join(dir, 'nobody') });
    const result = await push(imageSource(image), `${reg.host}/app:v1`, { keychain });
    const pulled = await pull(`${reg.host}/app:v1`, { keychain, platform: 'linux/amd64' });
    expect(pulled.digest).toBe(result.digest);
  });

  test('credentials from a podman auth.json (written by podman login) in $REGISTRY_AUTH_FILE', async () => {
    const authFile = join(dir, 'podman-auth.json');
    execFileSync('podman', ['login', '--tls-verify=false', '--authfile', authFile, '-u', user.username, '-p', user.password, reg.host], {
      stdio: 'ignore',
    });
    const keychain = fileKeychain({ env: { REGISTRY_AUTH_FILE: authFile }, home: join(dir, 'nobody') });
    const result = await push(indexSource([image, makeImage('linux/arm64')]), `${reg.host}/podman:v1`, { keychain });
    expect(result.blobs.uploaded).toBe(4);
    expect(result.blobs.skipped).toBe(0);
  });
});

describe('a registry with Bearer token auth', () => {
  let reg: TestRegistry;
  let tokens: TokenServer;
  let firstPushTokens: TokenServer['requests'];
  const image = makeImage('linux/amd64');
  beforeAll(async () => {
    tokens = await startTokenServer({ [user.username]: user.password });
    reg = await startRegistry({ token: tokens });
    // team/app:v1, which the anonymous pull and the mount read; the first test checks its tokens.
    tokens.requests.length = 0;
    await push(indexSource([image, makeImage('linux/arm64')]), `${reg.host}/team/app:v1`, {
      keychain: staticKeychain({ [reg.host]: user }),
    });
    firstPushTokens = [...tokens.requests];
  });
  afterAll(async () => {
    await reg?.dispose();
    await tokens?.stop();
  });

  test('pushes with a pull,push token fetched once and cached for the whole push', () => {
    expect(firstPushTokens).toEqual([{ user: user.username, scopes: ['repository:team/app:pull,push'] }]);
  });

  test('anonymous clients may pull, but a push is refused as one clear line', async () => {
    const pulled = await pull(`${reg.host}/team/app:v1`, { platform: 'linux/amd64' });
    expect(pulled.manifest.digest).toBe(image.descriptor.digest);
    expect(tokens.requests.at(-1)).toEqual({ user: undefined, scopes: ['repository:team/app:pull'] });
    const error = await caught(push(imageSource(image), `${reg.host}/team/app:v2`));
    expect(error).toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    expect(error.message).toContain(`no credentials for ${reg.host}`);
  });

  test('a cross-repository mount asks for pull on the source repository too', async () => {
    const keychain = staticKeychain({ [reg.host]: user });
    tokens.requests.length = 0;
    const result = await push(imageSource(image), `${reg.host}/team/copy:v1`, { keychain, mountFrom: ['team/app'] });
    expect(result.blobs).toEqual({ skipped: 0, mounted: 2, uploaded: 0 });
    // One token for the blobs (with the mount source), one for the manifest PUT (own scope only).
    expect(tokens.requests).toEqual([
      { user: user.username, scopes: ['repository:team/copy:pull,push', 'repository:team/app:pull'] },
      { user: user.username, scopes: ['repository:team/copy:pull,push'] },
    ]);
  });
});

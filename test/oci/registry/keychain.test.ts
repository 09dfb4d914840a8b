// Credentials from docker's config.json and podman's auth.json, in the documented order, with
// credential helpers run through an injected runner (and the core's real spawning runner).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { credentialHelperRunner } from '../../../scripts/src/core/exec/credential-helper.ts';
import { credentialFiles, fileKeychain } from '../../../scripts/src/oci/registry/index.ts';

let dir: string;
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bs-keychain-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(path: string, value: unknown): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('fileKeychain', () => {
  test('reads auths entries: base64 auth, username/password, identitytoken, docker.io spellings', async () => {
    const home = join(dir, 'home1');
    await write(join(home, '.docker', 'config.json'), {
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:pw:with:colons') },
        'ghcr.io': { username: 'octo', password: 'ghp_x' },
        'http://127.0.0.1:5000/v2/': { auth: b64('local:pw') },
        'quay.io': { identitytoken: 'refresh-me' },
      },
    });
    const keychain = fileKeychain({ env: {}, home });
    expect(await keychain.resolve('docker.io')).toEqual({ username: 'hub', password: 'pw:with:colons' });
    expect(await keychain.resolve('ghcr.io')).toEqual({ username: 'octo', password: 'ghp_x' });
    expect(await keychain.resolve('127.0.0.1:5000')).toEqual({ username: 'local', password: 'pw' });
    expect(await keychain.resolve('quay.io')).toEqual({ identitytoken: 'refresh-me' });
    expect(await keychain.resolve('cgr.dev')).toBeUndefined();
  });

  test('searches $DOCKER_CONFIG, $REGISTRY_AUTH_FILE, then podman defaults; podman namespaces win', async () => {
    const home = join(dir, 'home2');
    const dockerDir = join(dir, 'dockercfg');
    await write(join(dockerDir, 'config.json'), { auths: { 'a.io': { auth: b64('docker:1') } } });
    const authFile = await write(join(dir, 'explicit-auth.json'), { auths: { 'a.io': { auth: b64('podman:2') }, 'b.io': { auth: b64('podman:3') } } });
    await write(join(dir, 'run', 'containers', 'auth.json'), { auths: { 'c.io': { auth: b64('xdg:4') }, 'c.io/team': { auth: b64('team:5') } } });
    await write(join(home, '.config', 'containers', 'auth.json'), { auths: { 'd.io': { auth: b64('home:6') } } });

    const env = { DOCKER_CONFIG: dockerDir, REGISTRY_AUTH_FILE: authFile, XDG_RUNTIME_DIR: join(dir, 'run') };
    expect(credentialFiles({ env, home })).toEqual([join(dockerDir, 'config.json'), authFile]);
    const explicit = fileKeychain({ env, home });
    expect(await explicit.resolve('a.io')).toEqual({ username: 'docker', password: '1' });
    expect(await explicit.resolve('b.io')).toEqual({ username: 'podman', password: '3' });
    expect(await explicit.resolve('c.io')).toBeUndefined();

    const defaults = fileKeychain({ env: { XDG_RUNTIME_DIR: join(dir, 'run') }, home });
    expect(await defaults.resolve('c.io', 'team/app')).toEqual({ username: 'team', password: '5' });
    expect(await defaults.resolve('c.io', 'other/app')).toEqual({ username: 'xdg', password: '4' });
    expect(await defaults.resolve('d.io')).toEqual({ username: 'home', password: '6' });
  });

  test('credHelpers and credsStore go through the injected runner', async () => {
    const home = join(dir, 'home3');
    await write(join(home, '.docker', 'config.json'), {
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud' },
      auths: { 'fallback.io': { auth: b64('file:7') } },
    });
    const calls: string[] = [];
    const keychain = fileKeychain({
      env: {},
      home,
      runHelper: async (helper, server) => {
        calls.push(`${helper} ${server}`);
        if (helper === 'gcloud') return JSON.stringify({ ServerURL: server, Username: '_token', Secret: 'gcp' });
        if (server === 'https://index.docker.io/v1/') return JSON.stringify({ Username: '<token>', Secret: 'oauth-refresh' });
        return undefined;
      },
    });
    expect(await keychain.resolve('gcr.io')).toEqual({ username: '_token', password: 'gcp' });
    expect(await keychain.resolve('docker.io')).toEqual({ identitytoken: 'oauth-refresh' });
    expect(await keychain.resolve('fallback.io')).toEqual({ username: 'file', password: '7' });
    expect(calls).toEqual(['gcloud gcr.io', 'desktop https://index.docker.io/v1/', 'desktop fallback.io']);

    const noRunner = fileKeychain({ env: {}, home });
    expect(await noRunner.resolve('fallback.io')).toEqual({ username: 'file', password: '7' });
    await expect(noRunner.resolve('gcr.io')).rejects.toMatchObject({ code: 'REGISTRY_CREDENTIALS', message: expect.stringContaining('docker-credential-gcloud') });
  });

  test('a broken file is one REGISTRY_CREDENTIALS line naming it', async () => {
    const home = join(dir, 'home4');
    const file = await write(join(home, '.docker', 'config.json'), '{ not json');
    await expect(fileKeychain({ env: {}, home }).resolve('ghcr.io')).rejects.toMatchObject({ code: 'REGISTRY_CREDENTIALS', message: expect.stringMatching(new RegExp(`^cannot read credentials from ${file}: .+ \\(fix or remove the file\\)$`)) });
  });
});

describe('credentialHelperRunner (the core runner that spawns docker-credential-*)', () => {
  test('returns the helper JSON, undefined for "not found", and an error for a missing helper', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    const script = join(bin, 'docker-credential-fake');
    await writeFile(script, '#!/bin/sh\nread server\nif [ "$server" = "reg.example" ]; then echo "{\\"Username\\":\\"u\\",\\"Secret\\":\\"s\\"}"; else echo "credentials not found in native keychain"; exit 1; fi\n');
    await chmod(script, 0o755);
    const run = credentialHelperRunner({ env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    const keychain = fileKeychain({ env: { DOCKER_CONFIG: join(dir, 'helpercfg') }, runHelper: run });
    await write(join(dir, 'helpercfg', 'config.json'), { credsStore: 'fake' });
    expect(await keychain.resolve('reg.example')).toEqual({ username: 'u', password: 's' });
    expect(await keychain.resolve('other.example')).toBeUndefined();
    await expect(run('missing-helper', 'x')).rejects.toMatchObject({ code: 'REGISTRY_CREDENTIALS', message: expect.stringContaining('docker-credential-missing-helper is not installed') });
    await expect(run('../evil', 'x')).rejects.toMatchObject({ code: 'REGISTRY_CREDENTIALS' });
  });
});

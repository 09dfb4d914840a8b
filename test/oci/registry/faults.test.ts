// Failures against the real registry: nothing listening, a registry killed mid-push and
// restarted, and (through FaultyProxy) 5xx/429 answers and connections dropped mid-upload.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sha256Digest } from '../../../scripts/src/oci/digest.ts';
import { parseReference, pull, push, type PushEvent, RegistryClient } from '../../../scripts/src/oci/registry/index.ts';
import { freePort } from '../../helpers/processes.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { FaultyProxy } from './faulty-proxy.ts';
import { caught, imageSource, indexSource, makeImage } from './fixtures.ts';

const fast = { retry: { attempts: 3, initialDelayMs: 20, factor: 2, jitter: 0 } } as const;
const MiB = 1024 * 1024;
let reg: TestRegistry;
const proxies: FaultyProxy[] = [];

beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  for (const p of proxies) await p.stop();
  await reg?.dispose();
});

async function proxy(rules: FaultyProxy['rules']): Promise<FaultyProxy> {
  const p = await new FaultyProxy(reg.port, rules).start();
  proxies.push(p);
  return p;
}

describe('unreachable registries', () => {
  test('nothing listening: one line after bounded retries, quickly', async () => {
    const port = await freePort();
    const started = Date.now();
    const retries: PushEvent[] = [];
    const error = await caught(push(imageSource(makeImage('linux/amd64')), `127.0.0.1:${port}/app:v1`, { ...fast, onEvent: (e) => retries.push(e) }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toMatchObject({ name: 'RegistryError', code: 'REGISTRY_UNREACHABLE', temporary: true, attempts: 3 });
    expect(error.message).toBe(`cannot reach 127.0.0.1:${port} while pushing app:v1: connection refused after 3 attempts (is a registry running at 127.0.0.1:${port}? check the host and port)`);
    expect(error.message).not.toContain('\n');
    expect(retries.filter((e) => e.type === 'retry')).toHaveLength(2);
  });

  test('a registry killed mid-push fails clearly; after a restart the rerun skips what landed', async () => {
    const small = makeImage('linux/amd64');
    const big = makeImage('linux/arm64', { 'big.txt': 'big\n' }, 8 * MiB);
    const bigLayer = big.layers[0]!;
    const opts = { ...fast, concurrency: 1, chunkSize: MiB };
    let killed: Promise<void> | undefined;
    const error = await caught(
      push(indexSource([small, big]), `${reg.host}/killed:v1`, {
        ...opts,
        onEvent: (e) => {
          if (e.type === 'blob-progress' && e.digest === bigLayer.digest && !killed) killed = reg.kill();
        },
      }),
    );
    await killed;
    expect(error).toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
    expect(error.message).toMatch(new RegExp(`^cannot reach ${reg.host} while pushing killed:v1: .+ after \\d attempts \\(is a registry running at ${reg.host}\\?`));

    await reg.restart();
    const events: PushEvent[] = [];
    const result = await push(indexSource([small, big]), `${reg.host}/killed:v1`, { ...opts, onEvent: (e) => events.push(e) });
    const skipped = events.filter((e) => e.type === 'blob-skipped').map((e) => e.type === 'blob-skipped' && e.digest);
    expect(skipped).toEqual(expect.arrayContaining([...small.blobs.keys()]));
    expect(events.some((e) => e.type === 'blob-uploaded' && e.digest === bigLayer.digest)).toBe(true);
    const image = await pull(result.reference, { platform: 'linux/arm64' });
    expect(sha256Digest(image.layers[0]!.bytes)).toBe(bigLayer.digest);
  });
});

describe('temporary failures through a faulty proxy', () => {
  test('500s and a 429 with Retry-After are retried, then the push succeeds', async () => {
    const p = await proxy([
      { method: 'HEAD', path: /\/blobs\/sha256:/, times: 2, fault: { kind: 'status', status: 500 } },
      { method: 'PUT', path: /\/manifests\/v1$/, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}' } },
      { method: 'GET', path: /\/manifests\/v1$/, fault: { kind: 'status', status: 503 } },
    ]);
    const events: PushEvent[] = [];
    const started = Date.now();
    await push(indexSource([makeImage('linux/amd64'), makeImage('linux/arm64')]), `${p.host}/flaky:v1`, { ...fast, onEvent: (e) => events.push(e) });
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toHaveLength(3);
    expect(retries.find((e) => e.type === 'retry' && e.reason.startsWith('429'))).toMatchObject({ delayMs: 1000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(p.log.filter((l) => l.action === 'faulted')).toHaveLength(3);
    const image = await pull(`${p.host}/flaky:v1`, { ...fast, platform: 'linux/arm64' });
    expect(image.config.value.architecture).toBe('arm64');
  });

  test('a registry that keeps failing is REGISTRY_UNAVAILABLE after the attempts run out', async () => {
    const p = await proxy([{ path: /\/manifests\//, times: 100, fault: { kind: 'status', status: 502, body: 'bad gateway' } }]);
    const error = await caught(pull(`${p.host}/flaky:v1`, { ...fast, platform: 'linux/amd64' }));
    expect(error).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', status: 502, attempts: 3 });
    expect(error.message).toBe(`502 Bad Gateway from ${p.host} while pulling flaky:v1: bad gateway after 3 attempts (the registry is failing; try again later)`);
  });

  test('a 429 asking for a longer wait than allowed is reported, not waited for', async () => {
    const p = await proxy([{ path: /\/manifests\//, times: 100, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '3600' } } }]);
    const error = await caught(pull(`${p.host}/flaky:v1`, { ...fast, platform: 'linux/amd64' }));
    expect(error).toMatchObject({ code: 'REGISTRY_RATE_LIMITED', status: 429, attempts: 1 });
  });

  test('a connection dropped mid-PATCH resumes from the registry\'s Range', async () => {
    const image = makeImage('linux/amd64', {}, 3 * MiB);
    const layer = image.layers[0]!;
    const p = await proxy([{ method: 'PATCH', skip: 1, fault: { kind: 'drop', afterBytes: 200_000, forward: false } }]);
    const events: PushEvent[] = [];
    await push(imageSource(image), `${p.host}/resumed:v1`, { ...fast, chunkSize: MiB, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'blob-recovering')).toEqual([expect.objectContaining({ digest: layer.digest, how: 'resume', offset: MiB })]);
    const bytes = await new RegistryClient().getBlob(parseReference(`${reg.host}/resumed:v1`), layer.digest, layer.size);
    expect(sha256Digest(bytes)).toBe(layer.digest);
  });

  test('a chunk half-written before the drop, or a lost answer, restarts the upload and still lands intact', async () => {
    for (const fault of [{ kind: 'drop', afterBytes: 300_000, forward: true }, { kind: 'drop-response' }] as const) {
      const image = makeImage('linux/amd64', {}, 3 * MiB);
      const layer = image.layers[0]!;
      const p = await proxy([{ method: 'PATCH', skip: 1, fault }]);
      const events: PushEvent[] = [];
      await push(imageSource(image), `${p.host}/restarted:v1`, { ...fast, chunkSize: MiB, onEvent: (e) => events.push(e) });
      expect(events.filter((e) => e.type === 'blob-recovering').length).toBeGreaterThanOrEqual(1);
      expect(events.some((e) => e.type === 'blob-uploaded' && e.digest === layer.digest)).toBe(true);
      const bytes = await new RegistryClient().getBlob(parseReference(`${reg.host}/restarted:v1`), layer.digest, layer.size);
      expect(sha256Digest(bytes)).toBe(layer.digest);
    }
  });
});

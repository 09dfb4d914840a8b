// Drives the allowlist example over HTTP and asserts every endpoint, so the same checks run
// against the amd64 binary natively and the arm64 binary under qemu.
import { expect } from 'vitest';
import { startProcess, type Running } from './processes.ts';

export const LISTENING = /allowlist listening on ([0-9.]+):(\d+) \(storage: (memory|redis)\)/;

// Starts the service (argv may start with a qemu runner) on a free port on 127.0.0.1.
export async function startAllowlist(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ base: string; storage: string; proc: Running }> {
  const { match, proc } = await startProcess(argv, {
    env: { PATH: process.env.PATH, PORT: '0', BIND_ADDRESS: '127.0.0.1', ...env },
    ready: LISTENING,
    timeoutMs: 60_000,
  });
  return { base: `http://127.0.0.1:${match[2]}`, storage: match[3]!, proc };
}

async function call(method: string, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

// Exercises healthz, lookups, additions, normalisation and validation; `unique` keeps Redis runs apart.
export async function exerciseAllowlist(base: string, storage: 'memory' | 'redis', unique: string): Promise<void> {
  const health = await call('GET', `${base}/healthz`);
  expect(health).toEqual({ status: 200, body: { status: 'ok', storage } });

  const address = `0x000${unique.toUpperCase()}`;
  const parsed = `0x${unique.toLowerCase().replace(/^0+/, '') || '0'}`;
  const before = await call('GET', `${base}/${address}`);
  expect(before.status).toBe(200);
  expect(before.body).toEqual({ request_address: address, parsed_address: parsed, is_allowed: false, message: 'Not found in allowlist' });

  const added = await call('POST', `${base}/${address}`);
  expect([200, 201]).toContain(added.status);
  expect(added.body).toMatchObject({ request_address: address, parsed_address: parsed, is_allowed: true, message: 'Added to allowlist' });

  const again = await call('POST', `${base}/${parsed}`);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ parsed_address: parsed, is_allowed: true, message: 'Already allowed' });

  const found = await call('GET', `${base}/${parsed.toUpperCase().replace('0X', '0x')}`);
  expect(found.body).toMatchObject({ parsed_address: parsed, is_allowed: true, message: 'Found in allowlist' });

  for (const bad of ['abc', '0x', '0xzz', `0x${'1'.repeat(65)}`]) {
    const res = await call('GET', `${base}/${bad}`);
    expect(res.status, `GET /${bad}`).toBe(400);
    expect(typeof res.body.error).toBe('string');
  }
}

// Backoff arithmetic, Retry-After parsing, which failures are retried, and how errors read.
import { describe, expect, test } from 'vitest';
import { composeMessage, DEFAULT_RETRY, redactUrl, RegistryError } from '../../../scripts/src/oci/registry/index.ts';
import { registryError } from '../../../scripts/src/oci/registry/errors.ts';
import { classifyNetworkError } from '../../../scripts/src/oci/registry/response.ts';
import { backoffDelay, isTemporaryStatus, parseRetryAfter, retryDelay, withRetry } from '../../../scripts/src/oci/registry/retry.ts';

const policy = { ...DEFAULT_RETRY, attempts: 3, initialDelayMs: 1, jitter: 0 };
const temporary = (what = 'connection refused') => registryError('REGISTRY_UNREACHABLE', { head: 'cannot reach r', action: 'pushing app', what, hint: 'start it' }, { temporary: true });

describe('retry policy', () => {
  test('exponential backoff with bounded jitter and a cap', () => {
    const p = { ...DEFAULT_RETRY, initialDelayMs: 1000, factor: 2, maxDelayMs: 3000, jitter: 0.2 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n, () => 0))).toEqual([1000, 2000, 3000, 3000]);
    expect(backoffDelay(p, 1, () => 1)).toBe(1200);
  });

  test('Retry-After in seconds or as a date; too long means give up', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    const limited = new RegistryError('REGISTRY_RATE_LIMITED', 'x', { temporary: true, retryAfterMs: 2000 });
    expect(retryDelay({ ...DEFAULT_RETRY, jitter: 0 }, 1, limited)).toBe(2000);
    expect(retryDelay(DEFAULT_RETRY, 1, new RegistryError('REGISTRY_RATE_LIMITED', 'x', { temporary: true, retryAfterMs: 3_600_000 }))).toBeUndefined();
  });

  test.each([[408, true], [429, true], [500, true], [502, true], [503, true], [504, true], [400, false], [401, false], [403, false], [404, false], [416, false]])('status %i temporary: %s', (status, expected) => {
    expect(isTemporaryStatus(status)).toBe(expected);
  });

  test('withRetry: temporary failures are retried up to the bound, the message says how many', async () => {
    let calls = 0;
    const seen: number[] = [];
    const error = await withRetry(async () => {
      calls++;
      throw temporary();
    }, policy, { onRetry: (r) => seen.push(r.attempt) }).catch((e: RegistryError) => e);
    expect(calls).toBe(3);
    expect(seen).toEqual([1, 2]);
    expect(error.message).toBe('cannot reach r while pushing app: connection refused after 3 attempts (start it)');
    expect(error.attempts).toBe(3);
  });

  test('withRetry: permanent failures and foreign errors are thrown at once; success returns', async () => {
    let calls = 0;
    const denied = new RegistryError('REGISTRY_DENIED', 'no');
    await expect(withRetry(async () => {
      calls++;
      throw denied;
    }, policy)).rejects.toBe(denied);
    await expect(withRetry(async () => {
      calls++;
      throw new TypeError('bug');
    }, policy)).rejects.toThrow('bug');
    expect(calls).toBe(2);
    let n = 0;
    expect(await withRetry(async () => (++n < 3 ? Promise.reject(temporary()) : 'ok'), policy)).toBe('ok');
  });

  test('an abort stops the wait with the signal\'s reason', async () => {
    const controller = new AbortController();
    const waiting = withRetry(async () => {
      throw temporary();
    }, { ...policy, initialDelayMs: 60_000 }, { signal: controller.signal });
    controller.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
  });
});

describe('messages', () => {
  test('compose into one line', () => {
    expect(composeMessage({ head: '404 Not Found from r', action: 'pulling a:1', what: 'manifest\nunknown', hint: 'check' })).toBe('404 Not Found from r while pulling a:1: manifest unknown (check)');
  });

  test('URLs lose credentials and upload state but keep digests', () => {
    expect(redactUrl('https://u:p@r.io/v2/app/blobs/uploads/abc?_state=SECRET&digest=sha256:aa')).toBe('https://r.io/v2/app/blobs/uploads/abc?_state=REDACTED&digest=sha256%3Aaa');
    expect(redactUrl('/v2/app/blobs/uploads/?mount=sha256:aa&from=base')).toBe('/v2/app/blobs/uploads/?mount=sha256:aa&from=base');
  });

  test.each([
    [Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }), 'connection refused', true],
    [Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), { code: 'ENOTFOUND' }) }), 'host name not found', false],
    [Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) }), 'TLS handshake failed', false],
    [Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), 'the connection was closed mid-request', true],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timed out', true],
    [new TypeError('error sending request for url (http://127.0.0.1:1/v2/): client error (Connect): tcp connect error: Connection refused (os error 111)'), 'connection refused', true],
  ])('network error %#: %s', (error, what, isTemporary) => {
    expect(classifyNetworkError(error, 'r:1')).toMatchObject({ what, temporary: isTemporary });
  });
});

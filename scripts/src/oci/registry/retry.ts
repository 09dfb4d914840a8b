// Bounded retries with exponential backoff and jitter, like go-containerregistry's transport:
// only temporary failures (connection refused/reset, timeouts, 408, 429, 5xx) are retried, a
// registry's `Retry-After` is honoured when it is reasonable, and auth errors fail at once.
import { isRegistryError, type RegistryError } from './errors.ts';

export interface RetryPolicy {
  /** Total tries, at least 1. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** Fraction of each delay added at random (0.1 = up to +10 %). */
  readonly jitter: number;
  /** A longer `Retry-After` is not waited for: the error is reported instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  initialDelayMs: 1000,
  factor: 2,
  maxDelayMs: 30_000,
  jitter: 0.2,
  maxRetryAfterMs: 60_000,
};

export interface RetryInfo {
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: RegistryError;
}

export interface RetryHooks {
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: RetryInfo) => void;
}

// Statuses worth another attempt (499 and 522 are what some CDNs send for dropped connections).
export function isTemporaryStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 499 || status === 522 || (status >= 500 && status <= 504);
}

// The delay before retry number `retry` (1-based): initial × factor^(retry-1), capped, plus jitter.
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (retry - 1));
  return Math.round(base * (1 + policy.jitter * random()));
}

// `Retry-After: 5` or an HTTP date → milliseconds from now; undefined when absent or unreadable.
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// Resolves after `ms`, or rejects with the signal's reason when it aborts first.
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Runs `fn` until it succeeds, fails permanently, or the attempts run out; the final error's
// message says how many attempts were made.
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (hooks.signal?.aborted) throw hooks.signal.reason;
      if (!isRegistryError(error) || !error.temporary) throw error;
      if (attempt >= attempts) throw error.afterAttempts(attempt);
      const delayMs = retryDelay(policy, attempt, error);
      if (delayMs === undefined) throw error.afterAttempts(attempt);
      hooks.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, hooks.signal);
    }
  }
}

// The wait before the next attempt: the backoff, or the registry's Retry-After when longer;
// undefined when the registry asks for a wait longer than the policy allows.
export function retryDelay(policy: RetryPolicy, attempt: number, error: RegistryError): number | undefined {
  const backoff = backoffDelay(policy, attempt);
  if (error.retryAfterMs === undefined) return backoff;
  if (error.retryAfterMs > policy.maxRetryAfterMs) return undefined;
  return Math.max(Math.min(backoff, policy.maxDelayMs), error.retryAfterMs);
}

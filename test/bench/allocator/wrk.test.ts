// The wrk --latency parser, against output captured from real wrk runs on the allowlist service:
// the benchmark's GET/POST mix, a run answered with 404s, and a run whose server was stopped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { durationMs, parseWrk } from '../../../bench/allocator/wrk.mjs';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');

test('the mixed GET/POST run: totals, req/s and every percentile in ms', () => {
  expect(parseWrk(fixture('wrk-mixed.txt'))).toEqual({
    requests: 84197,
    seconds: 5.06,
    requestsPerSecond: 16652.3,
    latencyMs: { p50: 1.08, p75: 3.98, p90: 7.65, p99: 22.36 },
    socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
    non2xx: 0,
  });
});

test('microsecond percentiles and non-2xx answers are read', () => {
  const w = parseWrk(fixture('wrk-non2xx.txt'));
  expect(w.latencyMs.p50).toBeCloseTo(0.167, 9);
  expect(w.non2xx).toBe(22013);
  expect(w.non2xx).toBe(w.requests);
});

test('socket errors are read', () => {
  const w = parseWrk(fixture('wrk-socket-errors.txt'));
  expect(w.socketErrors).toEqual({ connect: 0, read: 8, write: 12027, timeout: 0 });
  expect(w.requestsPerSecond).toBe(4105.26);
  expect(w.latencyMs.p75).toBeCloseTo(0.16, 9);
});

test('output without --latency, or no output at all, throws instead of reading zeros', () => {
  const noLatency = fixture('wrk-mixed.txt').split('\n').filter((l) => !/^\s+\d+%/.test(l)).join('\n');
  expect(() => parseWrk(noLatency)).toThrow(/no 50% latency in wrk output: run wrk with --latency/);
  expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(/no "Requests\/sec" in wrk output: unable to connect/);
});

test('durations in every unit wrk prints', () => {
  expect([durationMs('812.00us'), durationMs('1.08ms'), durationMs('2.50s'), durationMs('1.00m')]).toEqual([0.812, 1.08, 2500, 60_000]);
  expect(() => durationMs('fast')).toThrow(/not a wrk duration: "fast"/);
});

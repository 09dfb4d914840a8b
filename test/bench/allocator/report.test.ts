// Medians, ratios to glibc and the markdown tables, from a results file written by a real run
// of bench/allocator.mjs (1 round, short settings, on a loaded 2-core machine).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type AllocatorResult, markdownTables, median, ratiosToGlibc, summariseServer, summariseWorkload } from '../../../bench/allocator/report.mjs';

const fixture = (): AllocatorResult => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'allocator-results.json'), 'utf8')) as AllocatorResult;

test('median: the middle value, the mean of the middle two; no values is an error', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([7])).toBe(7);
  expect(() => median([])).toThrow(/median of no values/);
});

test('each metric is its own median over the rounds; the rounds are kept', () => {
  const rounds = [
    { requestsPerSecond: 100, p50Ms: 1, p99Ms: 9, peakRssKiB: 500, requests: 1000, non2xx: 0 },
    { requestsPerSecond: 300, p50Ms: 3, p99Ms: 7, peakRssKiB: 700, requests: 3000, non2xx: 0 },
    { requestsPerSecond: 200, p50Ms: 2, p99Ms: 8, peakRssKiB: 600, requests: 2000, non2xx: 0 },
  ];
  expect(summariseServer(rounds)).toEqual({ requestsPerSecond: 200, p50Ms: 2, p99Ms: 8, peakRssKiB: 600, rounds });
  const work = [{ opsPerSecond: 10, elapsedSeconds: 4, peakRssKiB: 1 }, { opsPerSecond: 30, elapsedSeconds: 2, peakRssKiB: 3 }];
  expect(summariseWorkload(8, work)).toEqual({ threads: 8, opsPerSecond: 20, elapsedSeconds: 3, peakRssKiB: 2, rounds: work });
});

test('ratios divide by the glibc build: glibc is exactly 1, slower builds are below', () => {
  const result = fixture();
  const r = ratiosToGlibc(result.variants);
  expect(Object.keys(r)).toEqual(['glibc', 'musl', 'mimalloc-crate', 'mimalloc-link']);
  expect(r.glibc).toEqual({ requestsPerSecond: 1, p99Ms: 1, workload: { 2: 1, 8: 1 } });
  const [glibc, musl] = result.variants;
  expect(r.musl!.requestsPerSecond).toBeCloseTo(musl!.server.requestsPerSecond / glibc!.server.requestsPerSecond, 12);
  expect(r.musl!.workload[8]).toBeCloseTo(musl!.workload[1]!.opsPerSecond / glibc!.workload[1]!.opsPerSecond, 12);
  expect(r.musl!.workload[8]).toBeLessThan(0.5); // musl's malloc on 8 threads, as measured
  expect(() => ratiosToGlibc(result.variants.slice(1))).toThrow(/no glibc variant/);
});

test('the markdown tables', () => {
  expect(markdownTables(fixture())).toMatchInlineSnapshot(`
    "allowlist (in-memory) under \`wrk -t2 -c50 -d2s\`, 80% GET / 20% POST, 1 round

    | build | req/s | vs glibc | p50 | p99 | peak RSS |
    |---|--:|--:|--:|--:|--:|
    | glibc (dynamic) | 36,451 | 1.00× | 1.01 ms | 10.4 ms | 5.5 MiB |
    | musl malloc | 25,284 | 0.69× | 1.42 ms | 61.9 ms | 3.1 MiB |
    | musl + mimalloc crate | 31,548 | 0.87× | 0.804 ms | 75.1 ms | 11.8 MiB |
    | musl + link-time mimalloc | 28,509 | 0.78× | 0.890 ms | 160 ms | 11.8 MiB |

    alloc-workload: 20,000 small JSON documents built, serialised, parsed and dropped, split over N threads, 1 round

    | build | 2 threads ops/s | vs glibc | 8 threads ops/s | vs glibc | peak RSS (8 threads) |
    |---|--:|--:|--:|--:|--:|
    | glibc (dynamic) | 245,348 | 1.00× | 290,521 | 1.00× | 3.1 MiB |
    | musl malloc | 75,891 | 0.31× | 48,003 | 0.17× | 1.3 MiB |
    | musl + mimalloc crate | 182,701 | 0.74× | 263,184 | 0.91× | 8.6 MiB |
    | musl + link-time mimalloc | 202,561 | 0.83× | 139,862 | 0.48× | 8.6 MiB |

    2 cores (AMD EPYC), Linux 6.18.44-fc-v657, rustc 1.95.0 (59807616e 2026-04-14); load average at start 10.99 6.87 4.03.
    "
  `);
});

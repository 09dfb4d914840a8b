// The example's own `cargo test`, run with a real redis-server so its live Redis test runs
// instead of skipping. Part of `npm test`, so "all tests" really includes the Rust ones.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO } from '../helpers/cli.ts';
import { startRedis } from '../helpers/processes.ts';

let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.proc.stop();
});

test('cargo test --locked in examples/allowlist passes, Redis test included', () => {
  const result = spawnSync('cargo', ['test', '--locked'], {
    cwd: join(REPO, 'examples/allowlist'),
    env: { ...process.env, REDIS_URL: redis!.url },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, output.slice(-4000)).toBe(0);
  expect(output).not.toContain('SKIPPED');
  expect(output).toMatch(/redis_store_against_live_server \.\.\. ok/);
  const passed = [...output.matchAll(/test result: ok\. (\d+) passed; 0 failed/g)].reduce((n, m) => n + Number(m[1]), 0);
  expect(passed).toBeGreaterThanOrEqual(17);
}, 900_000);

import { expect, test } from 'vitest';
import type { BuildStep } from '../../../scripts/src/core/build/plan.ts';
import { failedPlatform } from '../../../scripts/src/core/build/run.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');
const shared: BuildStep = { argv: ['cargo'], env: {}, cwd: '/w', platform: amd64, platforms: [amd64, arm64], targetDir: '/w/target/build-static/multi', notes: [] };

test('a shared step\'s failure names the platform when cargo mentions only its triple, else all of them', () => {
  expect(failedPlatform(shared, 'error: linking with `cc` failed\n  = note: /w/target/build-static/multi/aarch64-unknown-linux-musl/release/deps/app-0123')).toBe(arm64);
  expect(failedPlatform(shared, 'error: could not compile `app` (bin "app")').id).toBe('linux/amd64, linux/arm64');
});

import { expect, test } from 'vitest';
import type { BuildStep } from '../../../scripts/src/core/build/plan.ts';
import { executableFromMessage, failedPlatform, platformOfArtifact } from '../../../scripts/src/core/build/run.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';

test('takes the executable path of bin artifacts from cargo JSON', () => {
  const line = JSON.stringify({ reason: 'compiler-artifact', package_id: 'path+file:///w/app#0.1.0', target: { name: 'app', kind: ['bin'] }, executable: '/w/target/x/release/app' });
  expect(executableFromMessage(line)).toEqual({ bin: 'app', packageId: 'path+file:///w/app#0.1.0', path: '/w/target/x/release/app' });
});

test.each([
  ['a library artifact', JSON.stringify({ reason: 'compiler-artifact', target: { name: 'l', kind: ['lib'] }, executable: null })],
  ['a build script', JSON.stringify({ reason: 'build-script-executed', package_id: 'x' })],
  ['plain text', 'Compiling app v0.1.0'],
  ['broken JSON', '{"reason":'],
])('ignores %s', (_what, line) => {
  expect(executableFromMessage(line)).toBeUndefined();
});

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');
const shared: BuildStep = { argv: ['cargo'], env: {}, cwd: '/w', platform: amd64, platforms: [amd64, arm64], targetDir: '/w/target/build-static/multi', notes: [] };

test('a shared step\'s executables belong to the platform whose triple is in their path', () => {
  expect(platformOfArtifact(shared, '/w/target/build-static/multi/aarch64-unknown-linux-musl/release/app')).toBe(arm64);
  expect(platformOfArtifact(shared, '/w/target/build-static/multi/x86_64-unknown-linux-musl/release/app')).toBe(amd64);
  expect(platformOfArtifact(shared, '/w/target/build-static/multi/release/build-helper')).toBeUndefined();
});

test('a shared step\'s failure names the platform when cargo mentions only its triple, else all of them', () => {
  expect(failedPlatform(shared, 'error: linking with `cc` failed\n  = note: /w/target/build-static/multi/aarch64-unknown-linux-musl/release/deps/app-0123')).toBe(arm64);
  expect(failedPlatform(shared, 'error: could not compile `app` (bin "app")').id).toBe('linux/amd64, linux/arm64');
});

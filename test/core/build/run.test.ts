import { expect, test } from 'vitest';
import { executableFromMessage } from '../../../scripts/src/core/build/run.ts';

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

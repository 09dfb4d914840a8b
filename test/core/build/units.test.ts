import { expect, test } from 'vitest';
import { UnitCounter, packageName, unitFromMessage } from '../../../scripts/src/core/build/units.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');
const artifact = (id: string, path: string, fresh: boolean, kind = 'lib') =>
  JSON.stringify({ reason: 'compiler-artifact', package_id: id, target: { name: packageName(id), kind: [kind] }, fresh, filenames: [path], executable: kind === 'bin' ? path : null });

test('takes the executable path of bin artifacts from cargo JSON', () => {
  const line = JSON.stringify({ reason: 'compiler-artifact', package_id: 'path+file:///w/app#0.1.0', target: { name: 'app', kind: ['bin'] }, executable: '/w/target/x/release/app', fresh: false, filenames: ['/w/target/x/release/app'] });
  expect(unitFromMessage(line)).toEqual({ package: 'app', fresh: false, filenames: ['/w/target/x/release/app'], executable: { bin: 'app', path: '/w/target/x/release/app' } });
});

test.each([
  ['a build script run', JSON.stringify({ reason: 'build-script-executed', package_id: 'x' })],
  ['plain text', 'Compiling app v0.1.0'],
  ['broken JSON', '{"reason":'],
])('ignores %s', (_what, line) => {
  expect(unitFromMessage(line)).toBeUndefined();
});

test('a library artifact is a unit without an executable', () => {
  expect(unitFromMessage(artifact('registry+https://github.com/rust-lang/crates.io-index#itoa@1.0.15', '/t/libitoa.rlib', true))).toEqual({ package: 'itoa', fresh: true, filenames: ['/t/libitoa.rlib'] });
});

test.each([
  ['path+file:///w/app#0.1.0', 'app'],
  ['path+file:///w/crates/core#engine@0.1.0', 'engine'],
  ['registry+https://github.com/rust-lang/crates.io-index#cfg-if@1.0.0', 'cfg-if'],
])('package id %s names package %s', (id, name) => {
  expect(packageName(id)).toBe(name);
});

test('one cargo for two platforms: units count for the platform whose triple is in their path, the rest for the host', () => {
  const units = new UnitCounter([amd64, arm64]);
  const multi = '/w/target/build-static/multi';
  for (const line of [
    artifact('registry+x#cfg-if@1.0.0', `${multi}/x86_64-unknown-linux-musl/release/deps/libcfg_if.rlib`, true),
    artifact('registry+x#cfg-if@1.0.0', `${multi}/aarch64-unknown-linux-musl/release/deps/libcfg_if.rlib`, true),
    artifact('path+file:///w/engine#0.1.0', `${multi}/release/build/engine-1/build_script_build`, true, 'custom-build'),
    artifact('path+file:///w/app#0.1.0', `${multi}/x86_64-unknown-linux-musl/release/app`, false, 'bin'),
    artifact('path+file:///w/app#0.1.0', `${multi}/aarch64-unknown-linux-musl/release/app`, false, 'bin'),
    artifact('path+file:///w/engine#0.1.0', `${multi}/aarch64-unknown-linux-musl/release/deps/libengine.rlib`, false),
  ]) {
    const unit = unitFromMessage(line);
    if (unit) units.add(unit);
  }
  expect(units.tally('linux/amd64')).toEqual({ compiled: ['app'], fresh: 1 });
  expect(units.tally('linux/arm64')).toEqual({ compiled: ['app', 'engine'], fresh: 1 });
  expect(units.tally('host')).toEqual({ compiled: [], fresh: 1 });
  expect(units.platformOf(`${multi}/release/build/engine-1/build_script_build`)).toBe('host');
});

test('one cargo for one platform owns its host units too', () => {
  const units = new UnitCounter([arm64]);
  const unit = unitFromMessage(artifact('path+file:///w/engine#0.1.0', '/w/target/build-static/aarch64-linux-musl/release/build/engine-1/build_script_build', false, 'custom-build'));
  if (unit) units.add(unit);
  expect(units.tally('linux/arm64')).toEqual({ compiled: ['engine'], fresh: 0 });
});

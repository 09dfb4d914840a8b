import { describe, expect, test } from 'vitest';
import { layerFromMetadata, resolveConfig } from '../../scripts/src/core/config.ts';

const WHERE = '[package.metadata.build-static] of /x/Cargo.toml';

describe('layerFromMetadata', () => {
  test('reads every known key', () => {
    const layer = layerFromMetadata(
      { platforms: ['linux/arm64'], bin: 'srv', profile: 'dist', features: ['a', 'b'], 'no-default-features': true, allocator: 'mimalloc', std: 'build-std', base: 'scratch', tag: 'r/x:1' },
      WHERE,
    );
    expect(layer).toEqual({ platforms: ['linux/arm64'], bin: 'srv', profile: 'dist', features: ['a', 'b'], noDefaultFeatures: true, allocator: 'mimalloc', std: 'build-std', base: 'scratch', tag: 'r/x:1' });
  });
  test('a single string is accepted where a list is expected', () => {
    expect(layerFromMetadata({ platforms: 'linux/amd64' }, WHERE).platforms).toEqual(['linux/amd64']);
  });
  test('unknown keys are errors naming the table and the known keys', () => {
    expect(() => layerFromMetadata({ platfroms: ['linux/amd64'] }, WHERE)).toThrow(
      /unknown key "platfroms" in \[package\.metadata\.build-static\] of \/x\/Cargo\.toml: known keys are platforms, bin/,
    );
  });
  test.each([
    [{ bin: 3 }, /"bin" in .* must be a string/],
    [{ features: [1] }, /"features" in .* must be a list of strings/],
    [{ 'no-default-features': 'yes' }, /must be true or false/],
  ])('type error %j', (table, message) => {
    expect(() => layerFromMetadata(table, WHERE)).toThrow(message);
  });
  test('a non-table is an error, absent is empty', () => {
    expect(() => layerFromMetadata('x', WHERE)).toThrow(/must be a table/);
    expect(layerFromMetadata(undefined, WHERE)).toEqual({});
  });
});

describe('resolveConfig', () => {
  test('defaults: both platforms, release, auto allocator', () => {
    const c = resolveConfig([]);
    expect(c.platforms.map((p) => p.id)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(c.profile).toBe('release');
    expect(c.allocator).toBe('auto');
    expect(c.std).toBe('auto');
  });
  test('later layers win per key; undefined does not erase', () => {
    const c = resolveConfig([{ profile: 'dist', bin: 'a' }, { bin: 'b', profile: undefined }]);
    expect(c.profile).toBe('dist');
    expect(c.bin).toBe('b');
  });
  test('features split on commas and spaces', () => {
    expect(resolveConfig([{ features: ['a,b', 'c d'] }]).features).toEqual(['a', 'b', 'c', 'd']);
  });
  test.each([
    [{ allocator: 'jemalloc' }, /unknown allocator "jemalloc": use one of auto, mimalloc, mimalloc-secure, system/],
    [{ std: 'nightly' }, /unknown std source "nightly"/],
    [{ profile: '../x' }, /invalid profile name/],
    [{ platforms: ['linux/s390x'] }, /unknown platform "linux\/s390x"/],
  ])('rejects %j', (layer, message) => {
    expect(() => resolveConfig([layer])).toThrow(message);
  });
});

import { describe, expect, test } from 'vitest';
import { hostPlatform, parsePlatform, parsePlatforms, PLATFORMS, tripleCargoEnv, tripleEnvSuffix } from '../../scripts/src/core/platform.ts';

describe('parsePlatform', () => {
  test.each([
    ['linux/amd64', 'linux/amd64', 'x86_64-unknown-linux-musl', 62],
    ['linux/x86_64', 'linux/amd64', 'x86_64-unknown-linux-musl', 62],
    ['amd64', 'linux/amd64', 'x86_64-unknown-linux-musl', 62],
    ['x86_64-unknown-linux-musl', 'linux/amd64', 'x86_64-unknown-linux-musl', 62],
    ['linux/arm64', 'linux/arm64', 'aarch64-unknown-linux-musl', 183],
    ['linux/arm64/v8', 'linux/arm64', 'aarch64-unknown-linux-musl', 183],
    ['LINUX/AARCH64', 'linux/arm64', 'aarch64-unknown-linux-musl', 183],
    [' aarch64-unknown-linux-musl ', 'linux/arm64', 'aarch64-unknown-linux-musl', 183],
  ])('%s → %s (%s, e_machine %i)', (text, id, triple, machine) => {
    const p = parsePlatform(text);
    expect(p.id).toBe(id);
    expect(p.triple).toBe(triple);
    expect(p.elfMachine).toBe(machine);
  });

  test.each(['linux/riscv64', 'windows/amd64', 'linux/arm/v7', '', 'x86_64-unknown-linux-gnu'])('rejects %j with the supported list', (text) => {
    expect(() => parsePlatform(text)).toThrow(/unknown platform .*supported platforms are linux\/amd64, linux\/arm64/);
  });
});

describe('parsePlatforms', () => {
  test('splits commas, keeps order, drops duplicates', () => {
    expect(parsePlatforms(['linux/arm64,linux/amd64', 'arm64']).map((p) => p.id)).toEqual(['linux/arm64', 'linux/amd64']);
  });
  test('an empty list is a usage error', () => {
    expect(() => parsePlatforms([' , '])).toThrow(/no platform given/);
  });
});

test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s has consistent names', (_id, p) => {
  expect(p.slug).toBe(p.id.replace('/', '-'));
  expect(p.triple.startsWith(p.elfMachineName)).toBe(true);
  expect(p.gnuTriplet.startsWith(p.elfMachineName)).toBe(true);
  expect(p.qemu).toBe(`qemu-${p.elfMachineName}-static`);
});

test('env spellings of a triple', () => {
  expect(tripleEnvSuffix('aarch64-unknown-linux-musl')).toBe('aarch64_unknown_linux_musl');
  expect(tripleCargoEnv('aarch64-unknown-linux-musl')).toBe('AARCH64_UNKNOWN_LINUX_MUSL');
});

test('host platform from node arch', () => {
  expect(hostPlatform('x64')?.id).toBe('linux/amd64');
  expect(hostPlatform('arm64')?.id).toBe('linux/arm64');
  expect(hostPlatform('s390x')).toBeUndefined();
});

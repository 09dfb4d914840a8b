// The Debian package table doctor's fixes name, for each platform seen from each host.
import { describe, expect, test } from 'vitest';
import { aptInstall, platformPackages } from '../../../scripts/src/core/doctor/packages.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';

describe('platformPackages', () => {
  test.each([
    ['linux/amd64', 'amd64', { gcc: 'gcc', binutils: 'binutils', libcDev: 'libc6-dev', muslDev: 'musl-dev' }],
    ['linux/arm64', 'arm64', { gcc: 'gcc', binutils: 'binutils', libcDev: 'libc6-dev', muslDev: 'musl-dev' }],
    ['linux/arm64', 'amd64', { gcc: 'gcc-aarch64-linux-gnu', binutils: 'binutils-aarch64-linux-gnu', libcDev: 'libc6-dev-arm64-cross', muslDev: 'musl-dev:arm64', qemu: 'qemu-user-static' }],
    ['linux/amd64', 'arm64', { gcc: 'gcc-x86_64-linux-gnu', binutils: 'binutils-x86_64-linux-gnu', libcDev: 'libc6-dev-amd64-cross', muslDev: 'musl-dev:amd64', qemu: 'qemu-user-static' }],
  ])('%s on a %s host', (platform, host, expected) => {
    expect(platformPackages(parsePlatform(platform), host)).toEqual(expected);
  });
});

describe('aptInstall', () => {
  test.each([
    [['libc6-dev-arm64-cross'], 'apt-get update && apt-get install -y libc6-dev-arm64-cross'],
    [['musl-dev:arm64', 'gcc-aarch64-linux-gnu'], 'dpkg --add-architecture arm64 && apt-get update && apt-get install -y musl-dev:arm64 gcc-aarch64-linux-gnu'],
  ])('%j', (packages, command) => {
    expect(aptInstall(packages)).toBe(command);
  });
});

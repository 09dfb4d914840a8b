// The allocator a rendered Dockerfile gives, per case, against `build-static build`'s decision
// (real cargo metadata of tiny projects): default and "mimalloc" keep the chef image's
// link-time mimalloc; a crate's own allocator and "system" switch to the image's plain rustflags
// before the cook, so cook and build still share flags; "mimalloc-secure" is refused in one line.
import { rm } from 'node:fs/promises';
import { afterAll, expect, test } from 'vitest';
import { dockerfileProject } from '../../../scripts/src/core/dockerfile/project.ts';
import { CargoWorkspace } from '../../helpers/workspace.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

// A one-binary crate with optional extra manifest text and an optional jemalloc dependency.
async function project(extra = ''): Promise<string> {
  const dir = await new CargoWorkspace()
    .manifest('.', `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n${extra}`)
    .file('src/main.rs', 'fn main() {}\n')
    .build('bs-df-alloc-');
  dirs.push(dir);
  return dir;
}

const OVERRIDE = 'ENV CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="${BUILD_STATIC_SYSTEM_RUSTFLAGS_X86_64_UNKNOWN_LINUX_MUSL}" \\\n'
  + '    CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="${BUILD_STATIC_SYSTEM_RUSTFLAGS_AARCH64_UNKNOWN_LINUX_MUSL}"\n';

test.each([
  ['default', '', /^# Allocator: mimalloc linked in \(the default; the chef image's libc\.a with mimalloc\), as with `build-static build`\.$/m, false],
  ['allocator = "mimalloc"', '\n[package.metadata.build-static]\nallocator = "mimalloc"\n', /^# Allocator: mimalloc linked in \(allocator = "mimalloc";/m, false],
  ['allocator = "system"', '\n[package.metadata.build-static]\nallocator = "system"\n', /^# Allocator: musl's malloc \(allocator = "system"\), as with `build-static build`\.$/m, true],
  ['own jemalloc', '\n[dependencies]\ntikv-jemallocator = "0.6"\n', /^# Allocator: the crate's own #\[global_allocator\] \(crate tikv-jemallocator\)/m, true],
] as const)('%s', async (_name, extra, line, overridden) => {
  const rendered = await dockerfileProject(await project(extra), {});
  expect(rendered.dockerfile).toMatch(line);
  expect(rendered.dockerfile.includes(OVERRIDE)).toBe(overridden);
  expect(rendered.allocator.note).toBeUndefined();
  // The override sits in the builder stage before the cook, so cook and build get the same flags.
  const builder = rendered.dockerfile.split('FROM chef AS builder\n')[1]!;
  if (overridden) expect(builder.indexOf(OVERRIDE)).toBeLessThan(builder.indexOf('cargo chef cook'));
  expect(builder.split('\nFROM ')[0]!.match(/^ENV /gm)).toHaveLength(overridden ? 2 : 1);
}, 60_000);

test('allocator = "mimalloc-secure": one USAGE line, the image has plain mimalloc only', async () => {
  const dir = await project('\n[package.metadata.build-static]\nallocator = "mimalloc-secure"\n');
  await expect(dockerfileProject(dir, {})).rejects.toMatchObject({
    code: 'USAGE', message: 'allocator = "mimalloc-secure" cannot be built from a Dockerfile yet (the chef image carries plain mimalloc only): use --engine native, or allocator = "mimalloc"',
  });
}, 60_000);

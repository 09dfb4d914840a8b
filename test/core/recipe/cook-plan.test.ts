import { expect, test } from 'vitest';
import { planBuild, type PlanInput, type PlatformToolchain } from '../../../scripts/src/core/build/plan.ts';
import { resolveConfig } from '../../../scripts/src/core/config.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';
import { planCook } from '../../../scripts/src/core/recipe/cook-plan.ts';

function toolchain(id: string): PlatformToolchain {
  const platform = parsePlatform(id);
  return {
    platform,
    rust: { toolchain: { rustc: '/tc/bin/rustc', cargo: '/tc/bin/cargo', sysroot: '/tc', version: '1.95.0', description: 'rustc', origin: 'PATH' }, std: 'prebuilt', notes: [] },
    c: { cc: `/cache/${platform.muslTriplet}-gcc`, ar: `/usr/bin/${platform.gnuTriplet}-ar`, linker: `/usr/bin/${platform.gnuTriplet}-gcc` },
  };
}

const input = (projectDir: string, targetDirectory: string): PlanInput => ({
  projectDir,
  manifestPath: `${projectDir}/Cargo.toml`,
  targetDirectory,
  config: resolveConfig([{ features: ['metrics'], profile: 'dist' }]),
  binaries: [{ package: 'app', name: 'server', manifestPath: `${projectDir}/Cargo.toml`, requiredFeatures: ['tls'] }],
  toolchains: [toolchain('linux/amd64'), toolchain('linux/arm64')],
  lockfile: true,
  env: { RUSTFLAGS: '-C target-cpu=generic' },
});

test('cook beside a project: same env and argv as build, but the skeleton\'s manifest and cwd', () => {
  const build = planBuild(input('/src/app', '/src/app/target'));
  const cook = planCook(input('/cache/skeletons/abc', '/cache/skeletons/abc/target'), '/src/app/target');
  expect(cook.steps.map((s) => s.env)).toEqual(build.steps.map((s) => s.env));
  // The user's RUSTFLAGS keeps one cargo per platform.
  expect(cook.steps.map((s) => s.targetDir)).toEqual(['/src/app/target/build-static/linux-amd64', '/src/app/target/build-static/linux-arm64']);
  const same = (argv: readonly string[]) => argv.map((a) => a.replace('/cache/skeletons/abc/', '/src/app/'));
  expect(cook.steps.map((s) => same(s.argv))).toEqual(build.steps.map((s) => s.argv));
  expect(cook.steps.map((s) => s.cwd)).toEqual(['/cache/skeletons/abc', '/cache/skeletons/abc']);
});

test('cook in place (Dockerfile stage): identical to the build that follows in the same directory', () => {
  const inPlace = input('/app', '/app/target');
  expect(planCook(inPlace)).toEqual(planBuild(inPlace));
});

test('cook shares one cargo for all platforms exactly when build does', () => {
  const shared = { ...input('/src/app', '/src/app/target'), env: {} };
  const cook = planCook({ ...input('/cache/skeletons/abc', '/cache/skeletons/abc/target'), env: {} }, '/src/app/target');
  expect(cook.steps.map((s) => s.targetDir)).toEqual(['/src/app/target/build-static/multi']);
  expect(cook.steps.map((s) => s.env)).toEqual(planBuild(shared).steps.map((s) => s.env));
});

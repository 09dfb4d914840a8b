import { describe, expect, test } from 'vitest';
import { planBuild, planPlatform, type PlanInput, type PlatformToolchain, sharingBlocker, staticRustflags } from '../../../scripts/src/core/build/plan.ts';
import { resolveConfig } from '../../../scripts/src/core/config.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';
import type { StdSource } from '../../../scripts/src/core/toolchain/rust.ts';

function toolchain(platformId: string, std: StdSource): PlatformToolchain {
  const platform = parsePlatform(platformId);
  const debian = std === 'build-std';
  return {
    platform,
    rust: {
      toolchain: {
        rustc: debian ? '/usr/bin/rustc' : '/rustup/toolchains/stable/bin/rustc',
        cargo: debian ? '/usr/bin/cargo' : '/rustup/toolchains/stable/bin/cargo',
        sysroot: debian ? '/usr' : '/rustup/toolchains/stable',
        version: debian ? '1.96.0' : '1.95.0',
        description: 'rustc',
        origin: 'PATH',
      },
      std,
      notes: [`std: ${std}`],
    },
    c: {
      cc: `/cache/cross/bin/${platform.muslTriplet}-gcc`,
      ar: `/usr/bin/${platform.gnuTriplet}-ar`,
      linker: debian ? `/cache/cross/bin/${platform.muslTriplet}-gcc` : `/usr/bin/${platform.gnuTriplet}-gcc`,
      ...(debian ? { unwindDir: `/cache/cross/${platform.triple}/unwind-0123` } : {}),
    },
  };
}

function input(overrides: Partial<PlanInput> = {}, std: StdSource = 'prebuilt'): PlanInput {
  return {
    projectDir: '/src/app',
    manifestPath: '/src/app/Cargo.toml',
    targetDirectory: '/src/app/target',
    config: resolveConfig([{ features: ['metrics'] }]),
    binaries: [{ package: 'app', name: 'server', manifestPath: '/src/app/Cargo.toml', requiredFeatures: [] }],
    toolchains: [toolchain('linux/amd64', std), toolchain('linux/arm64', std)],
    lockfile: true,
    env: {},
    ...overrides,
  };
}

describe('planPlatform', () => {
  test('prebuilt std: self-contained link with gcc, flags via --config', () => {
    const step = planPlatform(input(), toolchain('linux/arm64', 'prebuilt'));
    expect(step.argv).toMatchInlineSnapshot(`
      [
        "/rustup/toolchains/stable/bin/cargo",
        "--config",
        "target.aarch64-unknown-linux-musl.linker="/usr/bin/aarch64-linux-gnu-gcc"",
        "--config",
        "target.aarch64-unknown-linux-musl.rustflags=["-C","target-feature=+crt-static","-C","strip=symbols","-C","link-self-contained=yes","-C","link-arg=-lgcc"]",
        "build",
        "--manifest-path",
        "/src/app/Cargo.toml",
        "--target",
        "aarch64-unknown-linux-musl",
        "--profile",
        "release",
        "--package",
        "app",
        "--bin",
        "server",
        "--features",
        "metrics",
        "--locked",
        "--message-format=json-render-diagnostics",
      ]
    `);
    expect(step.env).toMatchInlineSnapshot(`
      {
        "AR_aarch64_unknown_linux_musl": "/usr/bin/aarch64-linux-gnu-ar",
        "CARGO_TARGET_DIR": "/src/app/target/build-static/linux-arm64",
        "CC_aarch64_unknown_linux_musl": "/cache/cross/bin/aarch64-linux-musl-gcc",
        "RUSTC": "/rustup/toolchains/stable/bin/rustc",
        "SOURCE_DATE_EPOCH": "0",
      }
    `);
    expect(step.cwd).toBe('/src/app');
  });

  test("SOURCE_DATE_EPOCH: 0 for C's __DATE__/__TIME__ unless the environment sets it", () => {
    const tc = toolchain('linux/amd64', 'prebuilt');
    expect(planPlatform(input(), tc).env.SOURCE_DATE_EPOCH).toBe('0');
    expect(planPlatform(input({ env: { SOURCE_DATE_EPOCH: '1700000000' } }), tc).env).not.toHaveProperty('SOURCE_DATE_EPOCH');
    expect(planBuild(input({ env: { SOURCE_DATE_EPOCH: '1700000000' } })).steps[0]!.env).not.toHaveProperty('SOURCE_DATE_EPOCH');
  });

  test('build-std: musl wrapper links, static relocation, compat libunwind, RUSTC_BOOTSTRAP', () => {
    const tc = toolchain('linux/amd64', 'build-std');
    const step = planPlatform(input({}, 'build-std'), tc);
    expect(step.argv).toContain('-Zbuild-std=std,panic_abort');
    expect(step.env.RUSTC_BOOTSTRAP).toBe('1');
    expect(step.env.RUSTC).toBe('/usr/bin/rustc');
    expect(staticRustflags(tc)).toMatchInlineSnapshot(`
      [
        "-C",
        "target-feature=+crt-static",
        "-C",
        "strip=symbols",
        "-C",
        "link-self-contained=no",
        "-C",
        "relocation-model=static",
        "-L",
        "native=/cache/cross/x86_64-unknown-linux-musl/unwind-0123",
        "-C",
        "link-arg=-static",
        "-C",
        "link-arg=-lgcc",
      ]
    `);
  });

  test("with the Rust toolchain's rust-lld: gcc links through it (-fuse-ld=lld, -B its gcc-ld dir) and the plan says so", () => {
    const tc = { ...toolchain('linux/arm64', 'prebuilt'), lld: '/rust/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld' };
    expect(staticRustflags(tc).slice(-4)).toEqual(['-C', 'link-arg=-fuse-ld=lld', '-C', 'link-arg=-B/rust/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld']);
    expect(staticRustflags(toolchain('linux/arm64', 'prebuilt')).join(' ')).not.toContain('fuse-ld');
    const step = planPlatform(input(), tc);
    expect(step.notes).toContain("links with the Rust toolchain's rust-lld (BUILD_STATIC_LLD=0: the C toolchain's ld)");
  });

  test('a user RUSTFLAGS forces one target dir per platform, so concurrent cargos do not share a lock', () => {
    const plan = planBuild(input({ env: { RUSTFLAGS: '-C target-cpu=generic' } }));
    expect(plan.steps.map((s) => s.targetDir)).toEqual(['/src/app/target/build-static/linux-amd64', '/src/app/target/build-static/linux-arm64']);
    expect(new Set(plan.steps.map((s) => s.env.CARGO_TARGET_DIR)).size).toBe(2);
    expect(plan.steps[0]?.notes.at(-1)).toMatch(/^one cargo per platform: RUSTFLAGS/);
  });

  test('a user RUSTFLAGS is kept and our flags appended (cargo would ignore target rustflags)', () => {
    const step = planPlatform(input({ env: { RUSTFLAGS: '-C target-cpu=neoverse-n1' } }), toolchain('linux/arm64', 'prebuilt'));
    expect(step.env.RUSTFLAGS).toBe(['-C target-cpu=neoverse-n1', ...staticRustflags(toolchain('linux/arm64', 'prebuilt'))].join(' '));
    expect(step.argv.some((a) => a.includes('.rustflags='))).toBe(false);
  });

  test('CARGO_ENCODED_RUSTFLAGS is extended with the unit separator', () => {
    const step = planPlatform(input({ env: { CARGO_ENCODED_RUSTFLAGS: '-Copt-level=s' } }), toolchain('linux/amd64', 'prebuilt'));
    expect(step.env.CARGO_ENCODED_RUSTFLAGS?.split('\x1f')[0]).toBe('-Copt-level=s');
  });

  test('a user CC_<triple>, AR_<triple> and linker are respected', () => {
    const step = planPlatform(
      input({ env: { CC_aarch64_unknown_linux_musl: 'clang', AR_aarch64_unknown_linux_musl: 'llvm-ar', CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER: 'clang' } }),
      toolchain('linux/arm64', 'prebuilt'),
    );
    expect(step.env.CC_aarch64_unknown_linux_musl).toBeUndefined();
    expect(step.env.AR_aarch64_unknown_linux_musl).toBeUndefined();
    expect(step.argv.some((a) => a.includes('.linker='))).toBe(false);
  });

  test('selection flags: every bin, no-default-features, no --locked without a lockfile', () => {
    const step = planPlatform(
      input({
        lockfile: false,
        config: resolveConfig([{ noDefaultFeatures: true, profile: 'dist' }]),
        binaries: [
          { package: 'a', name: 'one', manifestPath: '', requiredFeatures: [] },
          { package: 'b', name: 'two', manifestPath: '', requiredFeatures: [] },
        ],
      }),
      toolchain('linux/amd64', 'prebuilt'),
    );
    const args = step.argv.join(' ');
    expect(args).toContain('--profile dist');
    expect(args).toContain('--package a --bin one --package b --bin two');
    expect(args).toContain('--no-default-features');
    expect(args).not.toContain('--locked');
    expect(args).not.toContain('--features');
  });
});

describe('required-features', () => {
  test('a selected binary\'s required features are enabled as package/feature', () => {
    const step = planPlatform(
      input({ binaries: [{ package: 'app', name: 'server', manifestPath: '', requiredFeatures: ['metrics', 'tls', 'dep/x'] }, { package: 'app', name: 'plain', manifestPath: '', requiredFeatures: [] }] }),
      toolchain('linux/amd64', 'prebuilt'),
    );
    expect(step.argv[step.argv.indexOf('--features') + 1]).toBe('metrics,app/tls,dep/x');
  });
});

describe('one cargo for several platforms', () => {
  test('same toolchain and prebuilt std: one step, a --target and per-target settings for each platform', () => {
    const plan = planBuild(input());
    expect(plan.steps).toHaveLength(1);
    const step = plan.steps[0]!;
    expect(step.platforms.map((p) => p.id)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(step.targetDir).toBe('/src/app/target/build-static/multi');
    expect(step.env).toEqual({
      CARGO_TARGET_DIR: '/src/app/target/build-static/multi',
      RUSTC: '/rustup/toolchains/stable/bin/rustc',
      CC_x86_64_unknown_linux_musl: '/cache/cross/bin/x86_64-linux-musl-gcc',
      AR_x86_64_unknown_linux_musl: '/usr/bin/x86_64-linux-gnu-ar',
      CC_aarch64_unknown_linux_musl: '/cache/cross/bin/aarch64-linux-musl-gcc',
      AR_aarch64_unknown_linux_musl: '/usr/bin/aarch64-linux-gnu-ar',
      SOURCE_DATE_EPOCH: '0',
    });
    const args = step.argv.join(' ');
    expect(args).toContain('build --manifest-path /src/app/Cargo.toml --target x86_64-unknown-linux-musl --target aarch64-unknown-linux-musl --profile release');
    for (const tc of input().toolchains) {
      expect(step.argv).toContain(`target.${tc.platform.triple}.rustflags=${JSON.stringify(staticRustflags(tc))}`);
      expect(step.argv).toContain(`target.${tc.platform.triple}.linker=${JSON.stringify(tc.c.linker)}`);
    }
    expect(step.notes.at(-1)).toMatch(/^one cargo for linux\/amd64, linux\/arm64/);
  });

  test('a single platform keeps its own target dir', () => {
    const plan = planBuild(input({ toolchains: [toolchain('linux/arm64', 'prebuilt')] }));
    expect(plan.steps.map((s) => s.targetDir)).toEqual(['/src/app/target/build-static/linux-arm64']);
    expect(sharingBlocker(input({ toolchains: [toolchain('linux/arm64', 'prebuilt')] }))).toBeUndefined();
  });

  test.each([
    ['RUSTFLAGS from the environment', input({ env: { RUSTFLAGS: '-Copt-level=s' } }), /RUSTFLAGS/],
    ['CARGO_ENCODED_RUSTFLAGS from the environment', input({ env: { CARGO_ENCODED_RUSTFLAGS: '-Copt-level=s' } }), /RUSTFLAGS/],
    ['std built per target', input({}, 'build-std'), /std is built per target/],
    ['another rustc for arm64', input({ toolchains: [toolchain('linux/amd64', 'prebuilt'), toolchain('linux/arm64', 'build-std')] }), /another toolchain/],
  ])('falls back to one cargo per platform with %s, and says why', (_what, plan, why) => {
    expect(sharingBlocker(plan)).toMatch(why);
    const steps = planBuild(plan).steps;
    expect(steps.map((s) => s.platforms.length)).toEqual([1, 1]);
    for (const step of steps) expect(step.notes.at(-1)).toMatch(why);
  });
});

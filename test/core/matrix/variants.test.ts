// The build axis as data: the cargo steps for dynamic glibc and dynamic musl per architecture
// (target, cross linker and C compiler, -crt-static with the libgcc_s stand-in's dir), each in its
// own warm target dir; the stand-in's link line; and where arm64 glibc's cross files land.
import { describe, expect, test } from 'vitest';
import { crossImagePath } from '../../../scripts/src/core/matrix/bases.ts';
import { BUILD_VARIANTS, planCargoVariant, planLibgccShim, variantTargetDir } from '../../../scripts/src/core/matrix/variants.ts';

const input = { projectDir: '/p', manifestPath: '/p/Cargo.toml', matrixDir: '/p/target/build-static/matrix', bin: 'app', features: [], noDefaultFeatures: false, libgccDir: '/cache/shim' };

describe('planCargoVariant', () => {
  test.each([
    ['glibc', 'amd64', 'x86_64-unknown-linux-gnu', {}],
    ['glibc', 'arm64', 'aarch64-unknown-linux-gnu', { CC_aarch64_unknown_linux_gnu: 'aarch64-linux-gnu-gcc', AR_aarch64_unknown_linux_gnu: 'aarch64-linux-gnu-ar', CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER: 'aarch64-linux-gnu-gcc' }],
    ['musl-dynamic', 'amd64', 'x86_64-unknown-linux-musl', { CC_x86_64_unknown_linux_musl: 'musl-gcc', CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER: 'musl-gcc', RUSTFLAGS: '-C target-feature=-crt-static -L native=/cache/shim' }],
    ['musl-dynamic', 'arm64', 'aarch64-unknown-linux-musl', { CC_aarch64_unknown_linux_musl: 'aarch64-linux-musl-gcc', CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER: 'aarch64-linux-musl-gcc', RUSTFLAGS: '-C target-feature=-crt-static -L native=/cache/shim' }],
  ] as const)('%s on %s: cargo build --target %s', (id, arch, triple, env) => {
    const step = planCargoVariant(input, id, arch);
    const dir = `/p/target/build-static/matrix/${id}-${arch}`;
    expect(step.argv).toEqual(['cargo', 'build', '--release', '--manifest-path', '/p/Cargo.toml', '--target', triple, '--bin', 'app']);
    expect(step.env).toMatchObject({ CARGO_TARGET_DIR: dir, ...env });
    expect(step.cwd).toBe('/p');
    expect(step.exe).toBe(`${dir}/${triple}/release/app`);
  });

  test('features and --no-default-features reach cargo', () => {
    const step = planCargoVariant({ ...input, features: ['a', 'b'], noDefaultFeatures: true }, 'glibc', 'amd64');
    expect(step.argv.slice(-3)).toEqual(['--features', 'a,b', '--no-default-features']);
  });
});

describe('the build axis', () => {
  test('five variants, the static musl ones through build-static, named by what the ELF says', () => {
    expect(BUILD_VARIANTS.map((v) => [v.id, v.via])).toEqual([
      ['mimalloc', 'build-static'],
      ['mimalloc-nopie', 'build-static'],
      ['system', 'build-static'],
      ['glibc', 'cargo'],
      ['musl-dynamic', 'cargo'],
    ]);
    expect(BUILD_VARIANTS.every((v) => v.label.startsWith('{kind} '))).toBe(true);
    expect(BUILD_VARIANTS.find((v) => v.id === 'mimalloc-nopie')?.rustflags).toBe('-C relocation-model=static');
  });
  test('build-static variants share one target dir for both platforms, cargo ones have one per arch', () => {
    expect(variantTargetDir('/m', 'system')).toBe('/m/system');
    expect(variantTargetDir('/m', 'glibc', 'arm64')).toBe('/m/glibc-arm64');
  });
});

test.each([
  ['amd64', 'musl-gcc', 'x86_64-unknown-linux-musl'],
  ['arm64', 'aarch64-linux-musl-gcc', 'aarch64-unknown-linux-musl'],
] as const)('the libgcc_s.so.1 stand-in for %s: %s links the musl target libunwind.a whole, plus libgcc', (arch, cc, triple) => {
  expect(planLibgccShim(arch, '/rust', '/out/libgcc_s.so.1').argv).toEqual([cc, '-shared', '-nostdlib', '-Wl,-soname,libgcc_s.so.1', '-o', '/out/libgcc_s.so.1', '-Wl,--whole-archive', `/rust/lib/rustlib/${triple}/lib/self-contained/libunwind.a`, '-Wl,--no-whole-archive', '-lgcc']);
});

test.each([
  ['/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1', '/lib/ld-linux-aarch64.so.1'],
  ['/usr/aarch64-linux-gnu/lib/libc.so.6', '/lib/aarch64-linux-gnu/libc.so.6'],
  ['/usr/aarch64-linux-gnu/lib/libgcc_s.so.1', '/lib/aarch64-linux-gnu/libgcc_s.so.1'],
])('arm64 cross file %s lands at %s', (host, image) => {
  expect(crossImagePath(host)).toBe(image);
});

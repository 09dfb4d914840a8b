// Toolchain resolution order on real directory layouts (temp sysroots shaped like rustup's and
// Debian's). `rustup target add` is replaced by clearly named fakes: the real one downloads.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { probeRustc, resolveTargetToolchain, rustLldDir, type RustToolchain } from '../../../scripts/src/core/toolchain/rust.ts';

const TRIPLE = 'aarch64-unknown-linux-musl';

async function sysroot(opts: { std?: string[]; src?: boolean; rustup?: string }): Promise<RustToolchain> {
  const root = await mkdtemp(join(tmpdir(), 'bs-sysroot-'));
  const sys = opts.rustup ? join(root, 'toolchains', opts.rustup) : root;
  for (const t of opts.std ?? []) {
    await mkdir(join(sys, 'lib/rustlib', t, 'lib'), { recursive: true });
    await writeFile(join(sys, 'lib/rustlib', t, 'lib', 'libstd-0123abcd.rlib'), '');
  }
  if (opts.src) {
    await mkdir(join(sys, 'lib/rustlib/src/rust/library/std'), { recursive: true });
    await writeFile(join(sys, 'lib/rustlib/src/rust/library/std/Cargo.toml'), '');
    await writeFile(join(sys, 'lib/rustlib/src/rust/library/Cargo.lock'), '');
  }
  return { rustc: join(sys, 'bin/rustc'), cargo: join(sys, 'bin/cargo'), sysroot: sys, version: '1.0.0', description: `rustc at ${sys}`, origin: 'PATH', ...(opts.rustup ? { rustupName: opts.rustup } : {}) };
}

const fakeRustupFails = async () => 'fake: offline';
const fakeRustupMustNotRun = async () => {
  throw new Error('rustup target add must not run');
};

describe('resolveTargetToolchain', () => {
  test('a toolchain that has the std wins, without rustup', async () => {
    const tc = await sysroot({ std: [TRIPLE] });
    const r = await resolveTargetToolchain(TRIPLE, [tc], { cwd: tmpdir() }, fakeRustupMustNotRun);
    expect(r.std).toBe('prebuilt');
    expect(r.toolchain).toBe(tc);
  });

  test('then rustup target add, which installs the std', async () => {
    const tc = await sysroot({ rustup: 'stable' });
    const fakeRustupInstalls = async (t: RustToolchain, triple: string) => {
      await mkdir(join(t.sysroot, 'lib/rustlib', triple, 'lib'), { recursive: true });
      await writeFile(join(t.sysroot, 'lib/rustlib', triple, 'lib', 'libstd-x.rlib'), '');
      return undefined;
    };
    const r = await resolveTargetToolchain(TRIPLE, [tc], { cwd: tmpdir() }, fakeRustupInstalls);
    expect(r.std).toBe('rustup');
  });

  test('then std built once into a cached sysroot from a toolchain with rust-src, saying what was tried', async () => {
    const rustup = await sysroot({ rustup: 'stable' });
    const debian = await sysroot({ src: true });
    const r = await resolveTargetToolchain(TRIPLE, [rustup, debian], { cwd: tmpdir() }, fakeRustupFails);
    expect(r.std).toBe('sysroot');
    expect(r.toolchain).toBe(debian);
    expect(r.notes.join('\n')).toMatch(/rustup target add aarch64-unknown-linux-musl failed: fake: offline/);
    expect(r.notes.join('\n')).toMatch(/built once from the rust-src of .* into a cached sysroot/);
  });

  test.each([['sysroot'], ['build-std']] as const)('--std %s uses rust-src without trying rustup', async (std) => {
    const debian = await sysroot({ src: true, rustup: 'stable' });
    const r = await resolveTargetToolchain(TRIPLE, [debian], { cwd: tmpdir(), std }, fakeRustupMustNotRun);
    expect(r.std).toBe(std);
  });

  test('a project pinned by rust-toolchain.toml is told when another toolchain is used', async () => {
    const project = await mkdtemp(join(tmpdir(), 'bs-pinned-'));
    await writeFile(join(project, 'rust-toolchain.toml'), '[toolchain]\nchannel = "1.80.0"\n');
    const pinned = await sysroot({ rustup: '1.80.0' });
    const debian = { ...(await sysroot({ src: true })), origin: '/usr/bin/rustc' };
    const r = await resolveTargetToolchain(TRIPLE, [pinned, debian], { cwd: project }, fakeRustupFails);
    expect(r.notes.join('\n')).toMatch(/the project's toolchain \(rustc at .*1\.80\.0\) cannot build for aarch64-unknown-linux-musl; using/);
  });

  test('--std prebuilt does not fall back', async () => {
    const debian = await sysroot({ src: true });
    await expect(resolveTargetToolchain(TRIPLE, [debian], { cwd: tmpdir(), std: 'prebuilt' }, fakeRustupMustNotRun)).rejects.toThrow(
      /no Rust toolchain can build for aarch64-unknown-linux-musl with --std prebuilt/,
    );
  });

  test('nothing usable: TOOLCHAIN_MISSING with every attempt in the detail', async () => {
    const bare = await sysroot({ rustup: 'stable' });
    const error = await resolveTargetToolchain(TRIPLE, [bare], { cwd: tmpdir() }, fakeRustupFails).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOOLCHAIN_MISSING' });
    expect((error as { detail: string }).detail).toMatch(/has no std for .*\n.*rustup target add .* failed.*\n.*has no rust-src/s);
  });
});

test('probeRustc reads the real toolchain behind a rustup proxy', async () => {
  const tc = await probeRustc('rustc', process.cwd(), 'PATH');
  expect(tc, 'rustc on PATH (installed by rustup on these machines)').toBeDefined();
  expect(tc!.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(tc!.rustc.startsWith(tc!.sysroot)).toBe(true);
});

describe('rustLldDir', () => {
  test("finds the gcc-ld dir holding rustup's ld.lld, and nothing in a toolchain without one", async () => {
    const tc = await sysroot({ rustup: 'stable' });
    expect(await rustLldDir(tc)).toBeUndefined();
    const dir = join(tc.sysroot, 'lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'ld.lld'), '');
    expect(await rustLldDir(tc)).toBe(dir);
  });
});

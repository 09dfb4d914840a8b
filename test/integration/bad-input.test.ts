// Every kind of bad input gets exactly one clear error line, the documented exit code, and leaves
// no output directory behind. Runs the real CLI against real (tiny) Cargo projects.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, symlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

async function expectBadInput(args: string[], code: number, message: RegExp, env?: NodeJS.ProcessEnv): Promise<void> {
  const out = join(await mkdtemp(join(tmpdir(), 'bs-bad-')), 'out');
  const result = await runCli([...args, '--out', out], env ? { env } : {});
  expect(result.code, result.stderr).toBe(code);
  const lines = errorLines(result.stderr);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(existsSync(out), 'no partial output').toBe(false);
}

const twoBins = () =>
  new CargoWorkspace()
    .manifest('.', '[package]\nname = "tools"\nversion = "0.1.0"\nedition = "2021"\n\n[[bin]]\nname = "alpha"\npath = "src/alpha.rs"\n\n[[bin]]\nname = "beta"\npath = "src/beta.rs"\n')
    .file('src/alpha.rs', 'fn main() {}\n')
    .file('src/beta.rs', 'fn main() {}\n')
    .build();

test('not a Cargo project', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bs-empty-'));
  await expectBadInput(['build', dir], 2, /^build-static: error: no Cargo\.toml in .*: run build-static in a Rust project/);
});

test('a directory that does not exist', async () => {
  await expectBadInput(['build', '/nonexistent/project'], 2, /\/nonexistent\/project does not exist/);
});

test('a library-only crate has no binary target', async () => {
  const dir = await new CargoWorkspace().manifest('.', '[package]\nname = "lib-only"\nversion = "0.1.0"\nedition = "2021"\n').file('src/lib.rs', 'pub fn f() {}\n').build();
  await expectBadInput(['build', dir], 2, /no binary target in .*: it only has libraries; add src\/main\.rs or a \[\[bin\]\] section/);
});

test('an unknown --bin lists the binaries that exist', async () => {
  await expectBadInput(['build', await twoBins(), '--bin', 'gamma'], 2, /no binary named "gamma": available binaries are alpha, beta/);
});

test('an unknown platform lists the supported ones', async () => {
  await expectBadInput(['build', await twoBins(), '--platform', 'linux/amd64,linux/riscv64'], 2, /unknown platform "linux\/riscv64": supported platforms are linux\/amd64, linux\/arm64/);
});

test('an unknown flag points at --help', async () => {
  await expectBadInput(['build', await twoBins(), '--platfrom', 'linux/amd64'], 2, /unknown option '--platfrom'.*see build-static build --help/i);
});

test('an unknown key in [package.metadata.build-static]', async () => {
  const dir = await new CargoWorkspace().binPackage('.', 'app', '\n[package.metadata.build-static]\nplatfroms = ["linux/amd64"]\n').build();
  await expectBadInput(['build', dir], 2, /unknown key "platfroms" in \[package\.metadata\.build-static\] of .*Cargo\.toml: known keys are/);
});

test('a malformed Cargo.toml reports cargo\'s own reason', async () => {
  const dir = await new CargoWorkspace().manifest('.', '[package]\nname = "broken"\nversion = \n').file('src/main.rs', 'fn main() {}\n').build();
  await expectBadInput(['build', dir], 2, /cargo cannot read .*Cargo\.toml: .*(parse|invalid|expected)/i);
});

test('no toolchain with std or rust-src for --std build-std (missing std sources)', async () => {
  const dir = await new CargoWorkspace().binPackage('.', 'app').build();
  // Pin the search to rustup's toolchain, which has no rust-src.
  const rustc = (await import('node:child_process')).execFileSync('rustc', ['--print', 'sysroot']).toString().trim() + '/bin/rustc';
  await expectBadInput(['build', dir, '--std', 'build-std', '--platform', 'linux/arm64'], 3, /no Rust toolchain can build for aarch64-unknown-linux-musl with --std build-std: run \.\/setup\.sh/, {
    ...process.env,
    BUILD_STATIC_RUSTC: rustc,
  });
});

test('a missing cross C compiler names the package to install', async () => {
  // A PATH that has everything this one has, except the aarch64 gcc.
  const bin = await mkdtemp(join(tmpdir(), 'bs-path-'));
  const seen = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (seen.has(name) || name.startsWith('aarch64-linux-gnu-gcc')) continue;
      seen.add(name);
      await symlink(join(dir, name), join(bin, name)).catch(() => undefined);
    }
  }
  const dir = await new CargoWorkspace().binPackage('.', 'app').build();
  await expectBadInput(['build', dir, '--platform', 'linux/arm64'], 3, /no C compiler for linux\/arm64: aarch64-linux-gnu-gcc is not on PATH \(install Debian's gcc-aarch64-linux-gnu, or run \.\/setup\.sh\)/, {
    ...process.env,
    PATH: bin,
    BUILD_STATIC_CACHE: join(bin, '.cache'),
  });
});

test('a crate that needs a C library the target lacks', async () => {
  const dir = await new CargoWorkspace()
    .binPackage('.', 'needs-ssl', 'build = "build.rs"\n')
    .file('build.rs', 'fn main() { println!("cargo:rustc-link-lib=ssl"); }\n')
    .build();
  await mkdir(join(dir, 'target'), { recursive: true });
  await expectBadInput(['build', dir, '--platform', 'linux/arm64'], 3, /crate needs-ssl needs the C library "ssl", which is not available for aarch64-unknown-linux-musl: use a pure-Rust alternative/);
}, 600_000);

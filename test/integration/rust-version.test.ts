// Toolchain selection by rust-version, end to end with the real CLI, cargo, rustup and qemu: a
// crate asking for more than the default toolchain builds without any variable (Debian's rustc
// 1.96 or a rustup toolchain satisfies it), and one asking for a rustc that does not exist fails
// with one line naming the version, exit 3, for build and for cook.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { hostPlatform, PLATFORMS } from '../../scripts/src/core/platform.ts';
import { satisfiesRustVersion } from '../../scripts/src/core/toolchain/rust-version.ts';
import { classifyLinkage, parseElf } from '../../scripts/src/elf/index.ts';
import { errorLines, runCli } from '../helpers/cli.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const NEEDED = '1.96';
// No variable that pins a toolchain: the point is that none is needed.
const { BUILD_STATIC_RUSTC: _pin, RUSTUP_TOOLCHAIN: _tc, ...ENV } = process.env;

function crate(rustVersion: string): Promise<string> {
  return new CargoWorkspace()
    .manifest('.', `[package]\nname = "needs-new-rustc"\nversion = "0.1.0"\nedition = "2021"\nrust-version = "${rustVersion}"\n`)
    .file('src/main.rs', 'fn main() { println!("built by a rustc >= {}", env!("CARGO_PKG_RUST_VERSION")); }\n')
    .build('bs-rust-version-');
}

describe(`rust-version ${NEEDED}, above the default toolchain`, () => {
  let dir = '';
  let stderr = '';
  let outputs: Array<{ platform: string; toolchain: { version: string; reason?: string; std: string } }> = [];

  beforeAll(async () => {
    const defaultRustc = execFileSync('rustc', ['-V'], { env: ENV }).toString().split(' ')[1] ?? '';
    if (satisfiesRustVersion(defaultRustc, NEEDED)) {
      console.warn(`!!! the default rustc ${defaultRustc} already satisfies rust-version ${NEEDED}: this test no longer proves the toolchain switch; raise NEEDED`);
    }
    dir = await crate(NEEDED);
    execFileSync('cargo', ['generate-lockfile', '--offline'], { cwd: dir, env: ENV, stdio: 'ignore' });
    const res = await runCli(['build', dir, '--json'], { env: ENV });
    if (res.code !== 0) throw new Error(`build failed with exit ${res.code}:\n${res.stderr.slice(-6000)}`);
    stderr = res.stderr;
    outputs = JSON.parse(res.stdout).outputs;
  });

  test('the toolchain: line says which rustc and why', () => {
    const lines = stderr.split('\n').filter((l) => / toolchain: /.test(l));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(new RegExp(`rust-version ${NEEDED.replace('.', '\\.')} of needs-new-rustc: the default rustc \\S+ .* is older; (using the installed rustc|.*installing)`));
  });

  test('build-static.json records a satisfying version and the reason', () => {
    expect(outputs.map((o) => o.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    for (const o of outputs) {
      expect(satisfiesRustVersion(o.toolchain.version, NEEDED)).toBe(true);
      expect(o.toolchain.reason).toMatch(/rust-version 1\.96 of needs-new-rustc/);
    }
  });

  test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: static and runs', async (_id, platform) => {
    const exe = join(dir, 'target', 'build-static', 'out', platform.slug, 'needs-new-rustc');
    const elf = parseElf(new Uint8Array(await readFile(exe)));
    expect(elf.machine).toBe(platform.elfMachine);
    // amd64 comes out static-pie (rustc's self-contained musl), arm64 static: both load nothing.
    expect(classifyLinkage(elf)).toMatchObject({ kind: expect.stringMatching(/^static(-pie)?$/), needed: [] });
    const argv = hostPlatform() === platform ? [exe] : [platform.qemu, exe];
    expect(execFileSync(argv[0]!, argv.slice(1)).toString().trim()).toBe(`built by a rustc >= ${NEEDED}`);
  });
});

describe('rust-version 1.999, which no rustup can install', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await crate('1.999');
  });

  test('--dry-run shows the install as plan steps, and installs nothing', async () => {
    const res = await runCli(['build', dir, '--dry-run', '--json'], { env: ENV });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).setup).toEqual([
      ['rustup', 'toolchain', 'install', '1.999', '--profile', 'minimal', '--no-self-update'],
      ['rustup', 'target', 'add', '--toolchain', '1.999', 'x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'],
    ]);
  });

  test('build: one line naming the version, exit 3, no OUT', async () => {
    const res = await runCli(['build', dir], { env: ENV });
    expect(res.code).toBe(3);
    const errors = errorLines(res.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/rust-version 1\.999 of needs-new-rustc needs rustc >= 1\.999, but rustup cannot install rustc 1\.999/);
    expect(res.stderr).not.toMatch(/stack backtrace/i);
  });

  test('cook takes the same rule: its dry run installs first, its run fails the same way', async () => {
    const recipe = join(await mkdtemp(join(tmpdir(), 'bs-rv-recipe-')), 'recipe.json');
    execFileSync('cargo', ['generate-lockfile', '--offline'], { cwd: dir, env: ENV, stdio: 'ignore' });
    expect((await runCli(['plan', dir, '-o', recipe], { env: ENV })).code).toBe(0);
    const empty = await mkdtemp(join(tmpdir(), 'bs-rv-cook-'));
    const dry = await runCli(['cook', empty, '--recipe', recipe, '--dry-run'], { env: ENV });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('rustup toolchain install 1.999 --profile minimal');
    const res = await runCli(['cook', await mkdtemp(join(tmpdir(), 'bs-rv-cook-')), '--recipe', recipe], { env: ENV });
    expect(res.code).toBe(3);
    expect(errorLines(res.stderr)).toEqual([expect.stringMatching(/rust-version 1\.999 of needs-new-rustc needs rustc >= 1\.999/)]);
  });
});

// A toolchain file's pin when rustup did not install it (RUSTUP_AUTO_INSTALL=0 here, as on CI):
// the channel read from both file forms, and the choice that installs the pinned release instead
// of building with whichever rustc was found first. The rustup probe is the machine's real one.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chooseRustToolchain } from '../../../scripts/src/core/toolchain/choose.ts';
import type { RustToolchain } from '../../../scripts/src/core/toolchain/rust.ts';
import { honoursPin, toolchainFileChannel } from '../../../scripts/src/core/toolchain/toolchain-file.ts';

const TRIPLES = ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl'];
const debian: RustToolchain = { rustc: '/usr/bin/rustc', cargo: '/usr/bin/cargo', sysroot: '/usr', version: '1.96.0', description: 'rustc 1.96.0', origin: '/usr/bin/rustc' };
const rustup = (version: string, name: string): RustToolchain => ({ ...debian, rustc: `/r/${name}/bin/rustc`, sysroot: `/r/${name}`, version, origin: 'PATH', rustupName: name });

async function pinned(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-pin-'));
  await writeFile(join(dir, name), text);
  return dir;
}

describe('toolchainFileChannel', () => {
  test.each([
    ['rust-toolchain.toml', '# pinned\n[toolchain]\nchannel = "1.93.0"\nprofile = "minimal"\n', '1.93.0'],
    ['legacy one line', '1.93.0\n', '1.93.0'],
    ['legacy named channel', 'nightly-2026-01-01\n', 'nightly-2026-01-01'],
    ['legacy file in TOML', "[toolchain]\nchannel = 'stable'\ncomponents = [\"clippy\"]\n", 'stable'],
    ['a path pin has no channel', '[toolchain]\npath = "/opt/rust"\n', undefined],
  ])('%s', (_name, text, channel) => {
    expect(toolchainFileChannel(text)).toBe(channel);
  });
});

describe('honoursPin', () => {
  test.each([
    ['1.93.0', rustup('1.93.0', '1.93.0-x86_64-unknown-linux-gnu'), true],
    ['1.93', rustup('1.93.1', '1.93-x86_64-unknown-linux-gnu'), true],
    ['1.93.0', debian, false],
    ['1.9', rustup('1.93.0', '1.93.0-x86_64-unknown-linux-gnu'), false],
    ['stable', rustup('1.95.0', 'stable-x86_64-unknown-linux-gnu'), true],
    ['nightly', rustup('1.95.0', 'stable-x86_64-unknown-linux-gnu'), false],
  ] as const)('%s by %o', (channel, tc, expected) => {
    expect(honoursPin(channel, tc)).toBe(expected);
  });
});

describe('chooseRustToolchain with a toolchain file rustup has not installed', () => {
  test('a release pin is installed by the build (toolchain + musl std), not replaced by the rustc found', async () => {
    const dir = await pinned('rust-toolchain.toml', '[toolchain]\nchannel = "1.93.0"\n');
    const choice = await chooseRustToolchain(dir, [debian], undefined, TRIPLES, { HOME: '/home/u' });
    expect(choice.toolchains.map((t) => t.version)).toEqual(['1.93.0']);
    expect(choice.reason).toBe(`pinned by ${join(dir, 'rust-toolchain.toml')}: rustc 1.93.0 is not installed; installing it with rustup`);
    expect(choice.install?.steps.map((s) => s.argv.join(' '))).toEqual([
      'rustup toolchain install 1.93.0 --profile minimal --no-self-update',
      `rustup target add --toolchain 1.93.0 ${TRIPLES.join(' ')}`,
    ]);
    expect(choice.install?.steps[0]?.fix).toBe('install it yourself, or change the pin');
  });

  test('an installed pin is used as found, with nothing to install', async () => {
    const dir = await pinned('rust-toolchain', '1.93.0\n');
    const choice = await chooseRustToolchain(dir, [rustup('1.93.0', '1.93.0-x86_64-unknown-linux-gnu'), debian], undefined, TRIPLES, {});
    expect(choice.install).toBeUndefined();
    expect(choice.toolchains[0]?.version).toBe('1.93.0');
    expect(choice.reason).toBe(`pinned by ${join(dir, 'rust-toolchain')}`);
  });

  test('a named channel is left to the user: one line with the commands', async () => {
    const dir = await pinned('rust-toolchain', 'nightly-2026-01-01\n');
    await expect(chooseRustToolchain(dir, [debian], undefined, TRIPLES, {})).rejects.toMatchObject({
      code: 'TOOLCHAIN_MISSING',
      message: expect.stringMatching(/pins toolchain nightly-2026-01-01, which is not installed: run `rustup toolchain install nightly-2026-01-01` and `rustup target add/),
    });
  });

  test('a pin below the rust-version fails before anything is installed', async () => {
    const dir = await pinned('rust-toolchain.toml', '[toolchain]\nchannel = "1.80.0"\n');
    await expect(chooseRustToolchain(dir, [debian], { version: '1.85', package: 'app' }, TRIPLES, {})).rejects.toMatchObject({
      code: 'TOOLCHAIN_MISSING',
      message: expect.stringMatching(/rust-version 1\.85 of app needs rustc >= 1\.85, but .*rust-toolchain\.toml pins 1\.80\.0: raise the toolchain there/),
    });
  });
});

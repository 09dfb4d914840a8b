// The `toolchain:` line names the rustc that builds each target, and its reason must not name a
// different one: when the chosen toolchain has no std for the target (Debian's rustc first on
// PATH on a fresh machine, rustup's next), the reason says which one builds it instead. Real
// toolchains of this machine, pinned in order with BUILD_STATIC_RUSTC; resolve only, no build.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { resolveBuild } from '../../../scripts/src/core/build/resolve.ts';
import { REPO } from '../../helpers/cli.ts';

const DEBIAN = '/usr/bin/rustc';
const RUSTUP = join(homedir(), '.rustup', 'toolchains', `stable-${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-unknown-linux-gnu`, 'bin', 'rustc');
const MUSL = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-unknown-linux-musl`;
for (const rustc of [DEBIAN, RUSTUP]) if (!existsSync(rustc)) throw new Error(`!!! ${rustc} is missing: ./setup.sh installs both (Debian's rustc and rustup's stable)`);
const project = join(REPO, 'examples', 'allowlist');
const platform = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';

test("a first toolchain without the target's std: the reason names the one that builds it", async () => {
  const input = await resolveBuild(project, { platforms: [platform] }, { ...process.env, BUILD_STATIC_RUSTC: `${DEBIAN}:${RUSTUP}` });
  const rust = input.toolchains[0]!.rust;
  expect(rust.toolchain.rustc).not.toBe(DEBIAN);
  expect(rust.reason).toMatch(new RegExp(`; rustc \\S+ \\(BUILD_STATIC_RUSTC\\) has no std for ${MUSL}, so rustc ${rust.toolchain.version.replaceAll('.', '\\.')} \\(stable-\\S+\\) builds it$`));
});

test('the chosen toolchain builds the target: the reason is the choice alone', async () => {
  const input = await resolveBuild(project, { platforms: [platform] }, { ...process.env, BUILD_STATIC_RUSTC: RUSTUP });
  expect(input.toolchains[0]!.rust.reason).toMatch(/satisfies rust-version 1\.88 of allowlist$/);
});

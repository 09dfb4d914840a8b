// The `toolchain:` line names the rustc that builds each target, and its reason must not name a
// different one: when the chosen toolchain has no std for the target (Debian's rustc first on
// PATH on a fresh machine, rustup's next), the reason says which one builds it instead. Real
// toolchains of this machine, pinned in order with BUILD_STATIC_RUSTC; resolve only, no build.
// Also: which toolchains a resolve probes, and when the build links with rust-lld.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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

// A stand-in rustc that only records that it was asked (fault injection: it never answers), to
// show which toolchains a resolve probes. The default toolchain that fits decides alone; the
// others are probed only when it cannot build a target.
function probeRecorder(): { rustc: string; asked: () => boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'bs-probe-recorder-'));
  const rustc = join(dir, 'rustc');
  writeFileSync(rustc, `#!/bin/sh\ntouch '${join(dir, 'asked')}'\nexit 1\n`, { mode: 0o755 });
  return { rustc, asked: () => existsSync(join(dir, 'asked')) };
}

test('a default toolchain that fits decides alone: no other rustc is probed', async () => {
  const fake = probeRecorder();
  const input = await resolveBuild(project, { platforms: [platform] }, { ...process.env, BUILD_STATIC_RUSTC: `${RUSTUP}:${fake.rustc}` });
  expect(input.toolchains[0]!.rust.toolchain.rustc).toBe(RUSTUP);
  expect(fake.asked()).toBe(false);
});

test('a default toolchain without the std: the others are probed', async () => {
  const fake = probeRecorder();
  const input = await resolveBuild(project, { platforms: [platform] }, { ...process.env, BUILD_STATIC_RUSTC: `${DEBIAN}:${fake.rustc}:${RUSTUP}` });
  expect(input.toolchains[0]!.rust.toolchain.rustc).toBe(RUSTUP);
  expect(fake.asked()).toBe(true);
});

test("rustup's toolchain links with its own rust-lld, unless BUILD_STATIC_LLD=0 or the user names a linker", async () => {
  const lld = (await resolveBuild(project, { platforms: [platform] }, { ...process.env, BUILD_STATIC_RUSTC: RUSTUP })).toolchains[0]!.lld;
  expect(lld).toMatch(/\/lib\/rustlib\/[^/]+\/bin\/gcc-ld$/);
  expect(existsSync(join(lld!, 'ld.lld'))).toBe(true);
  const off = await resolveBuild(project, { platforms: [platform] }, { ...process.env, BUILD_STATIC_RUSTC: RUSTUP, BUILD_STATIC_LLD: '0' });
  expect(off.toolchains[0]!.lld).toBeUndefined();
  const linkerVar = `CARGO_TARGET_${MUSL.toUpperCase().replaceAll('-', '_')}_LINKER`;
  const own = await resolveBuild(project, { platforms: [platform] }, { ...process.env, BUILD_STATIC_RUSTC: RUSTUP, [linkerVar]: '/usr/bin/cc' });
  expect(own.toolchains[0]!.lld).toBeUndefined();
});

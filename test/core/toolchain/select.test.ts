// The toolchain selection rule as a table: installed toolchains + the project's rust-version →
// the choice and the reason printed for it. Pure: no machine facts are read.
import { describe, expect, test } from 'vitest';
import type { RustToolchain } from '../../../scripts/src/core/toolchain/rust.ts';
import { selectToolchain, type ToolchainCandidate } from '../../../scripts/src/core/toolchain/select.ts';

function tc(version: string, origin: string, opts: { rustup?: string; std?: number; canGetStd?: boolean } = {}): ToolchainCandidate {
  const toolchain: RustToolchain = {
    rustc: `/tc/${version}/bin/rustc`, cargo: `/tc/${version}/bin/cargo`, sysroot: `/tc/${version}`, version,
    description: `rustc ${version}`, origin, ...(opts.rustup ? { rustupName: opts.rustup } : {}),
  };
  return { toolchain, stdTargets: opts.std ?? 0, canGetStd: opts.canGetStd ?? opts.rustup !== undefined };
}

// This machine's shape: rustup's stable 1.95 (default, both musl std), Debian's 1.96 (rust-src), a nightly 1.97.
const stable = tc('1.95.0', 'PATH', { rustup: 'stable-x86_64-unknown-linux-gnu', std: 2 });
const debian = tc('1.96.0', '/usr/bin/rustc', { canGetStd: true });
const nightly = tc('1.97.0-nightly', 'rustup toolchain nightly', { rustup: 'nightly-x86_64-unknown-linux-gnu' });
const rustup196 = tc('1.96.1', 'rustup toolchain 1.96', { rustup: '1.96-x86_64-unknown-linux-gnu', std: 2 });
const rustup199 = tc('1.99.1', 'rustup toolchain 1.99', { rustup: '1.99-x86_64-unknown-linux-gnu', std: 1 });
const pkg = (version: string) => ({ version, package: 'app' });

describe('selectToolchain', () => {
  test.each([
    ['no rust-version: the default, all kept in order', [stable, debian], undefined, undefined, true, 'installed', '1.95.0', /the default toolchain \(no rust-version/],
    ['the default satisfies: it stays first', [stable, debian], pkg('1.80'), undefined, true, 'installed', '1.95.0', /the default rustc 1\.95\.0 .* satisfies rust-version 1\.80 of app/],
    ['equal versions satisfy (1.95 vs 1.95.0)', [stable], pkg('1.95'), undefined, true, 'installed', '1.95.0', /satisfies/],
    ['the default too old: Debian 1.96 over rustup install, and over the nightly', [stable, debian, nightly], pkg('1.96'), undefined, true, 'installed', '1.96.0', /rust-version 1\.96 of app: the default rustc 1\.95\.0 .* is older; using the installed rustc 1\.96\.0 \(\/usr\/bin\/rustc\)/],
    ['among releases, the one with std for more targets wins', [stable, debian, rustup196], pkg('1.96'), undefined, true, 'installed', '1.96.1', /using the installed rustc 1\.96\.1/],
    ['more std first, then newest', [stable, rustup199, debian], pkg('1.96'), undefined, true, 'installed', '1.99.1', /1\.99\.1/],
    ['a patch-level requirement: 1.96.0 does not satisfy 1.96.1', [stable, debian], pkg('1.96.1'), undefined, true, 'install', '1.96.1', /no installed release satisfies it; installing 1\.96\.1 with rustup/],
    ['nothing installed satisfies: rustup installs it (not the nightly)', [stable, debian, nightly], pkg('1.97'), undefined, true, 'install', '1.97', /installing 1\.97 with rustup/],
    ['no rustup: the nightly that satisfies, said so', [stable, debian, nightly], pkg('1.97'), undefined, false, 'installed', '1.97.0-nightly', /no release satisfies it and rustup is missing; using rustc 1\.97\.0-nightly/],
    ['pinned and satisfying: kept', [stable], pkg('1.90'), 'rust-toolchain.toml', true, 'installed', '1.95.0', /pinned by rust-toolchain\.toml; rustc 1\.95\.0 .* satisfies rust-version 1\.90/],
    ['pinned without rust-version', [stable, debian], undefined, 'BUILD_STATIC_RUSTC', true, 'installed', '1.95.0', /^pinned by BUILD_STATIC_RUSTC$/],
  ] as const)('%s', (_name, candidates, requirement, pinnedBy, rustup, kind, version, reason) => {
    const s = selectToolchain({ candidates, rustup, ...(requirement ? { requirement } : {}), ...(pinnedBy ? { pinnedBy } : {}) });
    expect(s.kind).toBe(kind);
    if (s.kind === 'installed') {
      expect(s.toolchains[0]?.version).toBe(version);
      expect(s.reason).toMatch(reason);
    } else if (s.kind === 'install') {
      expect(s.version).toBe(version);
      expect(s.reason).toMatch(reason);
    }
  });

  test('only toolchains that satisfy the rust-version are handed on (none would fail cargo later)', () => {
    const s = selectToolchain({ candidates: [stable, debian, rustup199], requirement: pkg('1.96'), rustup: true });
    expect(s.kind === 'installed' && s.toolchains.map((t) => t.version)).toEqual(['1.99.1', '1.96.0']);
  });

  test.each([
    ['pinned too old: names the pin and the version', [stable], 'rust-toolchain.toml', true, /^rust-version 1\.96 of app needs rustc >= 1\.96, but rust-toolchain\.toml pins rustc 1\.95\.0 .*: raise the toolchain there, or lower rust-version$/],
    ['nothing satisfies and no rustup: how to get it', [stable, debian], undefined, false, /^rust-version 1\.999 of app needs rustc >= 1\.999; installed: rustc 1\.95\.0 .*, rustc 1\.96\.0 .*: install rustup \(https:\/\/rustup\.rs\) and run `rustup toolchain install 1\.999`, or lower rust-version$/],
    ['no toolchain at all', [], undefined, false, /installed: no rustc/],
  ] as const)('missing: %s', (_name, candidates, pinnedBy, rustup, message) => {
    const version = pinnedBy ? '1.96' : '1.999';
    const s = selectToolchain({ candidates, rustup, requirement: pkg(version), ...(pinnedBy ? { pinnedBy } : {}) });
    expect(s.kind).toBe('missing');
    expect(s.kind === 'missing' && s.message).toMatch(message);
    expect(s.kind === 'missing' && s.message.includes('\n')).toBe(false);
  });
});

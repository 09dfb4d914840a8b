// A project's rust-toolchain file, as rustup reads it: which channel it pins, and whether the
// toolchain build-static found is that one. With RUSTUP_AUTO_INSTALL=0 (or an old rustup) the
// proxy does not install a missing pin, so the rustc found first may be another one entirely.
import { readFile } from 'node:fs/promises';
import type { RustToolchain } from './rust.ts';

// The channel of a `rust-toolchain.toml` (`[toolchain] channel = "…"`) or of the older
// `rust-toolchain`, which may also be one bare line (`1.93.0`); undefined for a `path = …` pin.
export function toolchainFileChannel(text: string): string | undefined {
  const bare = text.trim();
  if (/^[A-Za-z0-9][\w.-]*$/.test(bare)) return bare;
  return /^\s*channel\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
}

// A numbered release (`1.93`, `1.93.0`): what build-static may install for a pin; named channels
// (stable, nightly-2026-01-01, custom toolchains) stay the user's to install.
export function isReleaseChannel(channel: string): boolean {
  return /^\d+\.\d+(\.\d+)?$/.test(channel);
}

// True when `first` (the toolchain the build would use) is the pinned channel.
export function honoursPin(channel: string, first: RustToolchain | undefined): boolean {
  if (!first) return false;
  if (isReleaseChannel(channel)) return first.version === channel || first.version.startsWith(`${channel}.`);
  return first.rustupName === channel || (first.rustupName?.startsWith(`${channel}-`) ?? false);
}

// The channel pinned by `file` when the toolchain found first is not it; undefined when it is,
// or when the file pins no channel build-static can compare (a path).
export async function unmetPin(file: string, first: RustToolchain | undefined): Promise<string | undefined> {
  const channel = toolchainFileChannel(await readFile(file, 'utf8').catch(() => ''));
  return channel !== undefined && !honoursPin(channel, first) ? channel : undefined;
}

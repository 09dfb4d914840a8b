// The platforms build-static targets, and everything that differs between them: Rust target
// triple, ELF machine, Debian architecture and toolchain names. One table, so a new platform is
// one entry and every mapping (plan, verify, image) agrees.
import process from 'node:process';
import { BuildStaticError } from '../errors.ts';

export interface Platform {
  /** OCI platform string, e.g. `linux/arm64`. */
  readonly id: string;
  readonly os: 'linux';
  /** OCI architecture. */
  readonly arch: 'amd64' | 'arm64';
  /** Directory-safe name used in output paths, e.g. `linux-arm64`. */
  readonly slug: string;
  /** Rust target triple. */
  readonly triple: string;
  /** The ELF e_machine value binaries for this platform carry. */
  readonly elfMachine: number;
  readonly elfMachineName: string;
  /** Debian architecture name (`dpkg --print-architecture`). */
  readonly debArch: string;
  /** GNU triplet used for the cross gcc/binutils prefix and multiarch directories. */
  readonly gnuTriplet: string;
  /** Multiarch triplet of Debian's musl-dev for this architecture. */
  readonly muslTriplet: string;
  /** qemu-user binary that runs this platform's executables on another host. */
  readonly qemu: string;
}

export const PLATFORMS: readonly Platform[] = [
  {
    id: 'linux/amd64', os: 'linux', arch: 'amd64', slug: 'linux-amd64',
    triple: 'x86_64-unknown-linux-musl', elfMachine: 62, elfMachineName: 'x86_64',
    debArch: 'amd64', gnuTriplet: 'x86_64-linux-gnu', muslTriplet: 'x86_64-linux-musl',
    qemu: 'qemu-x86_64-static',
  },
  {
    id: 'linux/arm64', os: 'linux', arch: 'arm64', slug: 'linux-arm64',
    triple: 'aarch64-unknown-linux-musl', elfMachine: 183, elfMachineName: 'aarch64',
    debArch: 'arm64', gnuTriplet: 'aarch64-linux-gnu', muslTriplet: 'aarch64-linux-musl',
    qemu: 'qemu-aarch64-static',
  },
];

const ALIASES: Record<string, string> = {
  'linux/amd64': 'linux/amd64', 'linux/x86_64': 'linux/amd64', 'linux/x86-64': 'linux/amd64',
  'linux/amd64/v1': 'linux/amd64', 'linux/amd64/v2': 'linux/amd64', 'linux/amd64/v3': 'linux/amd64',
  amd64: 'linux/amd64', x86_64: 'linux/amd64', 'x86_64-unknown-linux-musl': 'linux/amd64',
  'linux/arm64': 'linux/arm64', 'linux/arm64/v8': 'linux/arm64', 'linux/aarch64': 'linux/arm64',
  arm64: 'linux/arm64', aarch64: 'linux/arm64', 'aarch64-unknown-linux-musl': 'linux/arm64',
};

// Accepts the spellings people use (docker's `linux/arm64/v8`, a Rust triple, `aarch64`) and
// returns the canonical platform, or a one-line error listing what is supported.
export function parsePlatform(text: string): Platform {
  const key = text.trim().toLowerCase();
  const id = ALIASES[key];
  const platform = PLATFORMS.find((p) => p.id === id);
  if (!platform) {
    throw new BuildStaticError(
      'UNKNOWN_PLATFORM',
      `unknown platform "${text}": supported platforms are ${PLATFORMS.map((p) => p.id).join(', ')}`,
    );
  }
  return platform;
}

// Parses a comma-separated list (or several flags), dropping duplicates but keeping order.
export function parsePlatforms(values: readonly string[]): Platform[] {
  const parts = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (parts.length === 0) throw new BuildStaticError('USAGE', 'no platform given: use --platform linux/amd64,linux/arm64');
  const out: Platform[] = [];
  for (const part of parts) {
    const p = parsePlatform(part);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

// The platform of the machine build-static runs on, used to decide what runs natively vs under qemu.
export function hostPlatform(arch: string = process.arch): Platform | undefined {
  const map: Record<string, string> = { x64: 'linux/amd64', arm64: 'linux/arm64' };
  return PLATFORMS.find((p) => p.id === map[arch]);
}

// Rust's environment-variable spelling of a triple (`CC_aarch64_unknown_linux_musl`).
export function tripleEnvSuffix(triple: string): string {
  return triple.replace(/-/g, '_');
}

// Cargo's upper-case spelling of a triple (`CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER`).
export function tripleCargoEnv(triple: string): string {
  return triple.replace(/-/g, '_').toUpperCase();
}

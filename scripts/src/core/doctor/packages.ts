// Which Debian package brings each piece a platform's build needs, on this host. One table, so
// doctor's fixes, setup.sh and the build's own errors name the same packages.
import type { Platform } from '../platform.ts';
import { hostDebArch } from '../toolchain/c-toolchain.ts';

export interface PlatformPackages {
  /** The GNU gcc for the platform (`gcc` natively, `gcc-<triplet>` across). */
  readonly gcc: string;
  readonly binutils: string;
  /** glibc headers and crt files the GNU gcc needs to compile any C file. */
  readonly libcDev: string;
  /** musl headers, libc.a and musl-gcc.specs for the platform. */
  readonly muslDev: string;
  /** Runs the platform's executables when it is not this machine's. */
  readonly qemu?: string;
}

// The packages for one platform as seen from a host of `hostArch` (Debian's names).
export function platformPackages(platform: Platform, hostArch: string = hostDebArch()): PlatformPackages {
  const native = platform.debArch === hostArch;
  return native
    ? { gcc: 'gcc', binutils: 'binutils', libcDev: 'libc6-dev', muslDev: 'musl-dev' }
    : {
        gcc: `gcc-${platform.gnuTriplet}`,
        binutils: `binutils-${platform.gnuTriplet}`,
        libcDev: `libc6-dev-${platform.debArch}-cross`,
        muslDev: `musl-dev:${platform.debArch}`,
        qemu: 'qemu-user-static',
      };
}

// The exact command that installs packages (a foreign-architecture package needs its
// architecture added first).
export function aptInstall(packages: readonly string[]): string {
  const foreign = [...new Set(packages.map((p) => /:(\w+)$/.exec(p)?.[1]).filter((a): a is string => a !== undefined))];
  const add = foreign.map((a) => `dpkg --add-architecture ${a} && `).join('');
  return `${add}apt-get update && apt-get install -y ${packages.join(' ')}`;
}

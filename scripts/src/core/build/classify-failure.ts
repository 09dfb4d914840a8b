// Turns a failed cargo run into the most specific error we can name: a C library the target
// lacks, a missing linker, or a plain compile failure — each with a line that says what to do.
import { BuildStaticError } from '../../errors.ts';
import { type CommandError, stderrTail } from '../exec/exec.ts';
import type { Platform } from '../platform.ts';
import { firstCargoError } from '../cargo/metadata.ts';

const MISSING_LIB = [
  /cannot find -l:?([A-Za-z0-9_.+-]+)/,
  /unable to find library -l:?([A-Za-z0-9_.+-]+)/,
  /library not found for -l([A-Za-z0-9_.+-]+)/,
];
const MISSING_HEADER = /fatal error: ([A-Za-z0-9_./+-]+\.h): No such file or directory/;
const PKG_CONFIG = /(?:pkg-config|pkg_config).*?(?:could not find|not been configured to support cross-compilation|Package (\S+) was not found)/i;
const OPENSSL = /Could not find (?:directory of )?OpenSSL/i;
const LINKER_NOT_FOUND = /linker `([^`]+)` not found/;
// Bad input that only cargo detects (before compiling anything): exit 2 like any bad input.
const BAD_PROFILE = /^error: profile `([^`]+)` is not defined/m;
const BAD_FEATURE = /^error: (?:the package '[^']+' does not contain (?:this feature|these features)|none of the selected packages contains? (?:this feature|these features)|package `[^`]+` does not have (?:the|these) features?)/m;
const BAD_LOCKFILE = /^error: failed to parse lock file at/m;
const FAILED_CRATE = /error: (?:failed to run custom build command for|could not compile) `([^`]+)/;
const NO_LIBCLANG = /Unable to find libclang/;
// A -sys crate's C++ object (its rlib member names a .cpp/.cc source) whose undefined symbols come
// from glibc: compiled with the host's GNU g++ against glibc's headers and libstdc++.a.
const GLIBC_CXX = /lib(\w+?)-[0-9a-f]{16}\.rlib\([^)]*\): in function[^\n]*\n[^\n]*\.(?:cpp|cc|cxx):[^\n]*undefined reference/;

// Classifies cargo's stderr for one platform into a BuildStaticError.
export function classifyCargoFailure(error: CommandError, platform: Platform): BuildStaticError {
  const stderr = error.stderr;
  const crate = FAILED_CRATE.exec(stderr)?.[1]?.replace(/ .*$/, '');
  const from = crate ? `crate ${crate}` : 'a crate';
  const detail = stderrTail(stderr, 40) || undefined;
  const cargoSays = firstCargoError(stderr) ?? '';
  const profile = BAD_PROFILE.exec(stderr);
  if (profile) return new BuildStaticError('USAGE', `cargo has no profile "${profile[1]}": use release, dev or a [profile.${profile[1]}] defined in Cargo.toml (--profile or profile = in [package.metadata.build-static])`, { cause: error, detail });
  if (BAD_FEATURE.test(stderr)) return new BuildStaticError('USAGE', `${cargoSays}: check --features (or features = in [package.metadata.build-static]) against the [features] of Cargo.toml`, { cause: error, detail });
  if (BAD_LOCKFILE.test(stderr)) return new BuildStaticError('CONFIG_INVALID', `${cargoSays.replace(/ at: /, ' at ')}: fix or delete Cargo.lock (cargo generate-lockfile writes a new one)`, { cause: error, detail });
  const linker = LINKER_NOT_FOUND.exec(stderr);
  if (linker) {
    return new BuildStaticError('LINKER_MISSING', `the linker ${linker[1]} for ${platform.id} was not found: run ./setup.sh or put it on PATH`, { cause: error, detail });
  }
  if (NO_LIBCLANG.test(stderr)) {
    return new BuildStaticError('LINKER_MISSING', `${from} runs bindgen, which needs libclang: install Debian's libclang-dev and clang (or run ./setup.sh)`, { cause: error, detail });
  }
  const cxx = GLIBC_CXX.exec(stderr);
  if (cxx) {
    const sys = cxx[1]!.replaceAll('_', '-');
    return new BuildStaticError(
      'BUILD_FAILED',
      `crate ${sys} compiles C++, which cannot link into a static musl binary for ${platform.id} here (no musl C++ toolchain: the host g++ uses glibc's headers and libstdc++): turn off the feature that pulls in ${sys} (--no-default-features --features …)`,
      { cause: error, detail },
    );
  }
  for (const re of MISSING_LIB) {
    const m = re.exec(stderr);
    if (m) return nativeLib(`the C library "${m[1]}"`, from, platform, error, detail);
  }
  const header = MISSING_HEADER.exec(stderr);
  if (header) return nativeLib(`the C header ${header[1]}`, from, platform, error, detail);
  if (OPENSSL.test(stderr)) return nativeLib('OpenSSL', from, platform, error, detail);
  const pkg = PKG_CONFIG.exec(stderr);
  if (pkg) return nativeLib(pkg[1] ? `the C library "${pkg[1]}" (via pkg-config)` : 'a C library found with pkg-config', from, platform, error, detail);
  const message = crate
    ? `cargo failed for ${platform.id} while building ${crate} (cargo's errors are above)`
    : `cargo failed for ${platform.id} (${error.signal ? `killed by ${error.signal}` : `exit code ${error.exitCode}`}; cargo's errors are above)`;
  return new BuildStaticError('BUILD_FAILED', message, { cause: error, detail });
}

function nativeLib(what: string, from: string, platform: Platform, cause: CommandError, detail?: string): BuildStaticError {
  return new BuildStaticError(
    'NATIVE_LIBRARY_MISSING',
    `${from} needs ${what}, which is not available for ${platform.triple}: use a pure-Rust alternative (e.g. rustls instead of OpenSSL) or the crate's "vendored"/"bundled" feature`,
    { cause, detail },
  );
}

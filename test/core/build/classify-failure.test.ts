import { expect, test } from 'vitest';
import { classifyCargoFailure } from '../../../scripts/src/core/build/classify-failure.ts';
import { CommandError } from '../../../scripts/src/core/exec/exec.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';

const arm64 = parsePlatform('linux/arm64');
const failure = (stderr: string) => new CommandError('cargo build failed with exit code 101', { argv: ['cargo', 'build'], exitCode: 101, stderr, notFound: false });

test.each([
  ['  = note: /usr/bin/ld: cannot find -lssl: No such file or directory\nerror: could not compile `app` (bin "app")', 'NATIVE_LIBRARY_MISSING', /crate app needs the C library "ssl", which is not available for aarch64-unknown-linux-musl/],
  ['rust-lld: error: unable to find library -lpq', 'NATIVE_LIBRARY_MISSING', /the C library "pq"/],
  ['error: failed to run custom build command for `openssl-sys v0.9.1`\n  Could not find directory of OpenSSL installation', 'NATIVE_LIBRARY_MISSING', /crate openssl-sys needs OpenSSL/],
  ['src/x.c:1:10: fatal error: zlib.h: No such file or directory', 'NATIVE_LIBRARY_MISSING', /the C header zlib\.h/],
  ['error: linker `aarch64-linux-gnu-gcc` not found', 'LINKER_MISSING', /the linker aarch64-linux-gnu-gcc for linux\/arm64 was not found/],
  ['error[E0425]: cannot find value `x`\nerror: could not compile `app` (bin "app") due to 1 previous error', 'BUILD_FAILED', /cargo failed for linux\/arm64 while building app/],
  ['error: profile `nope` is not defined', 'USAGE', /cargo has no profile "nope"/],
  ["error: the package 'e' does not contain this feature: zzz\nhelp: there is a similarly named feature: x", 'USAGE', /does not contain this feature: zzz: check --features/],
  ['error: failed to parse lock file at: /p/Cargo.lock\n\nCaused by:\n  TOML parse error at line 1, column 8\n    |\n  1 | garbage', 'CONFIG_INVALID', /failed to parse lock file at \/p\/Cargo\.lock: TOML parse error .*fix or delete Cargo\.lock/],
  ['  thread \'main\' panicked at bindgen-0.72.1/lib.rs:616:27:\n  Unable to find libclang: "couldn\'t find any valid shared libraries"\nerror: failed to run custom build command for `libbzip3-sys v0.5.1+1.5.3`', 'LINKER_MISSING', /crate libbzip3-sys runs bindgen, which needs libclang: install Debian's libclang-dev/],
  // ouch 0.8.3's link (bench/real-world): unrar's C++ compiled against glibc.
  [
    "  /usr/bin/ld: /tmp/rustcID8JwH/libunrar_ng_sys-4a9a8739140a686d.rlib(0934600a39780889-file.o): in function `File::Tell() [clone .localalias]':\n          file.cpp:(.text._ZN4File4TellEv+0x20): undefined reference to `lseek64'\nerror: could not compile `ouch` (bin \"ouch\") due to 1 previous error",
    'BUILD_FAILED',
    /crate unrar-ng-sys compiles C\+\+, which cannot link into a static musl binary for linux\/arm64 here .*turn off the feature that pulls in unrar-ng-sys/,
  ],
  ['weird', 'BUILD_FAILED', /cargo failed for linux\/arm64 \(exit code 101/],
])('%#: %s → %s', (stderr, code, message) => {
  const error = classifyCargoFailure(failure(stderr), arm64);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
});

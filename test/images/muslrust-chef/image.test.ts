// The muslrust-chef image end to end: built on the muslrust stand-in for linux/amd64 and
// linux/arm64, pushed to a real registry as one index, then inside EACH platform's image (arm64
// under qemu) cargo-chef, target-triple and verify-static work, and a crate with C code
// cross-compiles to static executables for BOTH musl targets with nothing but
// `cargo build --release --target T` — which verify-static accepts, which run, and which run on
// mimalloc (the image's default allocator).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PLATFORMS, type Platform } from '../../../scripts/src/core/platform.ts';
import { ensureMuslrustChef, type MuslrustChef } from '../../helpers/muslrust-chef.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { CargoWorkspace } from '../../helpers/workspace.ts';

// A binary with C code compiled by the image's CC_<triple>/AR_<triple> (no cc crate: no network).
const BUILD_RS = `use std::{env, path::PathBuf, process::Command};
fn main() {
    let key = env::var("TARGET").unwrap().replace('-', "_");
    let cc = env::var(format!("CC_{key}")).expect("the image sets CC_<triple>");
    let ar = env::var(format!("AR_{key}")).expect("the image sets AR_<triple>");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    assert!(Command::new(cc).args(["-O2", "-c", "greet.c", "-o"]).arg(out.join("greet.o")).status().unwrap().success());
    assert!(Command::new(ar).arg("crs").arg(out.join("libgreet.a")).arg(out.join("greet.o")).status().unwrap().success());
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=greet");
    println!("cargo:rerun-if-changed=greet.c");
}
`;
const GREET_C = `#include <stdio.h>
int greet(char *buf, int n) { return snprintf(buf, (size_t)n, "C says %d", 6 * 7); }
`;
const MAIN_RS = `extern "C" { fn greet(buf: *mut u8, n: i32) -> i32; }
fn main() {
    let mut buf = [0u8; 32];
    let n = unsafe { greet(buf.as_mut_ptr(), 32) } as usize;
    let t = std::thread::spawn(|| std::env::consts::ARCH.to_string()).join().unwrap();
    println!("hello from {t}; {}", std::str::from_utf8(&buf[..n]).unwrap());
}
`;

const execFileAsync = promisify(execFile);
let registry: TestRegistry;
let chef: MuslrustChef;
let crate: string;

beforeAll(async () => {
  registry = await startRegistry();
  chef = await ensureMuslrustChef(registry);
  crate = await new CargoWorkspace()
    .manifest('.', '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n')
    .file('build.rs', BUILD_RS).file('greet.c', GREET_C).file('src/main.rs', MAIN_RS)
    .build('bs-chef-hello-');
}, 3_600_000);
afterAll(async () => {
  await registry?.dispose();
  if (crate) await rm(crate, { recursive: true, force: true });
});

test('one index in the registry with linux/amd64 and linux/arm64', async () => {
  const inspect = await exec('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${chef.ref}`]);
  const raw = JSON.parse(inspect.stdout) as {
    mediaType?: string; manifests: Array<{ platform: { os: string; architecture: string } }>;
  };
  expect(raw.mediaType).toMatch(/manifest\.list\.v2\+json|image\.index\.v1\+json/);
  expect(raw.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64']);
  expect(chef.ref).toBe(`${registry.host}/build-static/muslrust-chef:latest`);
  expect(chef.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
});

// Runs a command without blocking the test worker (a worker blocked for minutes times out
// vitest's RPC); a non-zero exit is a result, not an exception.
async function exec(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await execFileAsync(cmd, args, { maxBuffer: 64 << 20 })) };
  } catch (e) {
    const failed = e as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(e) };
  }
}

// Runs a script in the pushed image for `platform` (pulled from the registry; arm64 runs under qemu).
async function inImage(platform: Platform, script: string, mount?: string) {
  const pull = await exec('podman', ['pull', '--quiet', '--tls-verify=false', '--platform', platform.id, chef.ref]);
  expect(pull.code, pull.stderr).toBe(0);
  const image = pull.stdout.trim();
  return exec('podman', ['run', '--rm', '--platform', platform.id, '--network', 'none', ...(mount ? ['-v', `${mount}:/src:ro`] : []), image, 'sh', '-ec', script]);
}

describe.each(PLATFORMS.map((p) => [p.id, p] as const))('inside the %s image', (_id, platform) => {
  test('the contract: tools, helpers, environment, WORKDIR', async () => {
    const r = await inImage(platform, [
      'uname -m', 'pwd', 'cargo chef --version', 'rustc -V', 'target-triple linux/arm64/v8',
      `TARGETPLATFORM=${platform.id} target-triple`,
      `verify-static --platform ${platform.id} /usr/local/bin/cargo-chef /usr/local/bin/verify-static`,
      'env | grep -E "^(CARGO_|CC_|AR_|RUSTC_BOOTSTRAP)" | sort',
    ].join('\n'));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 6)).toEqual([
      platform.elfMachineName, '/app', 'cargo-chef-chef 0.1.78', expect.stringMatching(/^rustc 1\.\d+\.\d+ /), 'aarch64-unknown-linux-musl', platform.triple,
    ]);
    expect(lines.slice(6, 8)).toEqual([
      `/usr/local/bin/cargo-chef: static ${platform.elfMachineName}`, `/usr/local/bin/verify-static: static ${platform.elfMachineName}`,
    ]);
    const env = lines.slice(8);
    expect(env).toEqual(expect.arrayContaining(['CARGO_HOME=/usr/local/cargo', 'CARGO_NET_GIT_FETCH_WITH_CLI=true',
      'CC_aarch64_unknown_linux_musl=aarch64-linux-musl-gcc', 'AR_x86_64_unknown_linux_musl=x86_64-linux-musl-ar']));
    expect(env.filter((l) => /^CARGO_TARGET_.*_(LINKER|RUSTFLAGS)=/.test(l))).toHaveLength(4);
    expect(env.some((l) => l.startsWith('RUSTC_BOOTSTRAP'))).toBe(false);
  }, 600_000);

  test('cargo build --release --target T alone gives static executables for BOTH targets, which run', async () => {
    const script = [
      'cp -r /src /app/hello && cd /app/hello',
      ...PLATFORMS.map((t) => `cargo build --quiet --release --target ${t.triple}`),
      ...PLATFORMS.map((t) => `verify-static --platform ${t.id} target/${t.triple}/release/hello`),
      ...PLATFORMS.map((t) => `./target/${t.triple}/release/hello`),
      // The image's rustflags link mimalloc in by default: mimalloc says so when it starts.
      ...PLATFORMS.map((t) => `MIMALLOC_VERBOSE=1 ./target/${t.triple}/release/hello 2>&1 >/dev/null | grep -c 'mimalloc: process init'`),
      ...PLATFORMS.map((t) => `TARGETPLATFORM=${t.id} get-executable hello /out/${t.slug}/`),
      ...PLATFORMS.map((t) => `verify-static --platform ${t.id} /out/${t.slug}/hello`),
    ].join('\n');
    const r = await inImage(platform, script, crate);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      ...PLATFORMS.map((t) => `target/${t.triple}/release/hello: static ${t.elfMachineName}`),
      ...PLATFORMS.map((t) => `hello from ${t.elfMachineName}; C says 42`),
      ...PLATFORMS.map(() => '1'),
      ...PLATFORMS.map((t) => `target/${t.triple}/release/hello: static ${t.elfMachineName}`),
      ...PLATFORMS.map((t) => `/out/${t.slug}/hello: static ${t.elfMachineName}`),
    ]);
  }, 1_200_000);
});

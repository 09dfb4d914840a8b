// The Dockerfile's contract with the application Dockerfiles (FROM <org>/muslrust-chef), checked
// from its text: the environment names and values, the static flags equal to build-static's own
// (so `cargo build --target` in the image links like `build-static build`), and the podman 1.28
// rules (no syntax line, no heredocs, stage platforms). build.mjs's argument errors are cheap too.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { staticRustflags, type PlatformToolchain } from '../../../scripts/src/core/build/plan.ts';
import { PLATFORMS, tripleCargoEnv, tripleEnvSuffix } from '../../../scripts/src/core/platform.ts';
import { IMAGE_DIR } from './tools.ts';

const text = readFileSync(join(IMAGE_DIR, 'Dockerfile'), 'utf8');
const stages = text.split(/^(?=FROM )/m).slice(1);
const argDefault = (name: string) => new RegExp(`^ARG ${name}=(?:"([^"]*)"|(\\S+))$`, 'm').exec(text)?.slice(1).find((v) => v !== undefined);

// ENV key=value pairs of a stage's first (or last) ENV, after the build args' defaults are substituted.
function envOf(stage: string, which: 'first' | 'last' = 'first'): Record<string, string> {
  const blocks = [...stage.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)];
  const block = blocks[which === 'first' ? 0 : blocks.length - 1]![1]!.replace(/\\\n\s*/g, ' ');
  const env: Record<string, string> = {};
  for (const m of block.matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)) {
    env[m[1]!] = (m[2] ?? m[3]!).replace(/\$\{(\w+)\}/g, (_, arg: string) => argDefault(arg) ?? `<unset ${arg}>`);
  }
  return env;
}

describe('Dockerfile', () => {
  test('two stages: tools on $BUILDPLATFORM, the image on $TARGETPLATFORM, both FROM the muslrust build args', () => {
    expect(argDefault('MUSLRUST_IMAGE')).toBe('clux/muslrust');
    expect(argDefault('MUSLRUST_TAG')).toBe('stable');
    expect(stages.map((s) => s.split('\n')[0])).toEqual([
      'FROM --platform=$BUILDPLATFORM ${MUSLRUST_IMAGE}:${MUSLRUST_TAG} AS tools',
      'FROM --platform=$TARGETPLATFORM ${MUSLRUST_IMAGE}:${MUSLRUST_TAG}',
    ]);
    expect(text).not.toMatch(/^#\s*syntax=/m);
    expect(text).not.toMatch(/<<-?\s*['"]?\w+/);
    expect(stages[0]).toMatch(/^ARG CARGO_CHEF_VERSION=0\.1\.78$/m);
    expect(stages[0]).toMatch(/cargo install --locked --version "\$CARGO_CHEF_VERSION" --target "\$triple"/);
    expect(stages[0]).toMatch(/--mount=type=cache,target=\/usr\/local\/cargo\/registry/);
    expect(stages[1]).toMatch(/^WORKDIR \/app$/m);
    // Only one cheap RUN in the stage that executes under QEMU.
    expect(stages[1]!.match(/^RUN /gm)).toEqual(['RUN ']);
    expect(stages[1]).toMatch(/^RUN ensure-cross-targets$/m);
    expect(stages[1]).toMatch(/^COPY --from=tools \/out\/bin\/cargo-chef \/out\/bin\/verify-static \/usr\/local\/bin\/$/m);
    expect(stages[1]).toMatch(/^COPY --chmod=0755 bin\/target-triple bin\/get-executable bin\/ensure-cross-targets \/usr\/local\/bin\/$/m);
  });

  test('the environment of the contract, the same in both stages', () => {
    const env = envOf(stages[1]!);
    expect(envOf(stages[0]!)).toEqual(env);
    const expected: Record<string, string> = { CARGO_HOME: '/usr/local/cargo', CARGO_NET_GIT_FETCH_WITH_CLI: 'true' };
    for (const p of PLATFORMS) {
      // The stand-in's std is a std sysroot placed in rustc's own sysroot: that mode, minus --sysroot.
      const tc = { platform: p, rust: { std: 'sysroot' }, c: { unwindDir: `/usr/lib/rustlib/${p.triple}/lib` } } as unknown as PlatformToolchain;
      expected[`CARGO_TARGET_${tripleCargoEnv(p.triple)}_LINKER`] = `${p.muslTriplet}-gcc`;
      expected[`CARGO_TARGET_${tripleCargoEnv(p.triple)}_RUSTFLAGS`] = staticRustflags(tc).join(' ');
      expected[`CC_${tripleEnvSuffix(p.triple)}`] = `${p.muslTriplet}-gcc`;
      expected[`AR_${tripleEnvSuffix(p.triple)}`] = `${p.muslTriplet}-ar`;
    }
    expect(env).toEqual(expected);
    expect(env.CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS).toContain('-C relocation-model=static');
    expect(text.replace(/^#.*\n/gm, '')).not.toMatch(/RUSTC_BOOTSTRAP|CARGO_BUILD_TARGET=|-Zbuild-std/);
  });
});

describe('link-time mimalloc', () => {
  test('the image\'s last ENV: mimalloc rustflags by default, the plain ones kept for the opt-out', () => {
    const env = envOf(stages[1]!, 'last');
    const expected: Record<string, string> = {};
    for (const p of PLATFORMS) {
      const tc = { platform: p, rust: { std: 'sysroot' }, c: { unwindDir: `/usr/lib/rustlib/${p.triple}/lib` } } as unknown as PlatformToolchain;
      // The same place in the flags as `build-static build` puts its prepared libc.a.
      expected[`BUILD_STATIC_SYSTEM_RUSTFLAGS_${tripleCargoEnv(p.triple)}`] = staticRustflags(tc).join(' ');
      expected[`CARGO_TARGET_${tripleCargoEnv(p.triple)}_RUSTFLAGS`] = staticRustflags({ ...tc, allocatorLib: `/usr/local/lib/build-static/mimalloc/${p.triple}` }).join(' ');
    }
    expect(env).toEqual(expected);
    // Late layers: the libc copies come after the stage's only RUN (under QEMU), so they rebuild nothing.
    const tail = stages[1]!.split('RUN ensure-cross-targets\n')[1]!;
    expect(tail).toMatch(/^COPY mimalloc\/ \/usr\/local\/lib\/build-static\/mimalloc\/$/m);
    expect(tail).toMatch(/dev\.build-static\.allocator="mimalloc"/);
  });
});

describe('build.mjs arguments', () => {
  test.each([
    [['--frobnicate'], /^muslrust-chef: unknown argument "--frobnicate"/],
    [['--registry', '127.0.0.1:5000', '--ref', '127.0.0.1:5000/a/b:c'], /^muslrust-chef: give --registry or --ref, not both$/],
    [['--registry', 'http://127.0.0.1:5000'], /^muslrust-chef: --registry must be HOST\[:PORT\]/],
    [['--platform', 'linux/s390x'], /^muslrust-chef: unknown platform "linux\/s390x"/],
    [['--cargo-chef-version', 'latest'], /^muslrust-chef: --cargo-chef-version must be X\.Y\.Z/],
    [['--ref', '127.0.0.1:5000/a/b'], /^muslrust-chef: "127\.0\.0\.1:5000\/a\/b" has no tag/],
    [['--org', 'Bad Org'], /^muslrust-chef: --org "Bad Org" is not a valid repository path/],
  ])('%j → exit 2, one line, nothing built', (args, line) => {
    const r = spawnSync(process.execPath, [join(IMAGE_DIR, 'build.mjs'), ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
  });

  test('--help', () => {
    const r = spawnSync(process.execPath, [join(IMAGE_DIR, 'build.mjs'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: node images\/muslrust-chef\/build\.mjs /);
  });
});

// A project's toolchain file is obeyed, end to end with the real CLI, rustup, cargo and qemu: a
// crate pinning rustc 1.93.0 (what ouch 0.8.3 of the real-world corpus ships in its .crate) in
// `rust-toolchain.toml` or in the older plain `rust-toolchain` builds with exactly that rustc for
// both platforms — rustup installs it (and the musl std) when the machine lacks it — and says so
// in the toolchain: line and build-static.json. No variable pins anything. Needs rustup downloads
// on a machine without 1.93.0: it fails, loudly.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { hostPlatform, PLATFORMS } from '../../scripts/src/core/platform.ts';
import { classifyLinkage, parseElf } from '../../scripts/src/elf/index.ts';
import { runCli } from '../helpers/cli.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const PINNED = '1.93.0';
const { BUILD_STATIC_RUSTC: _pin, RUSTUP_TOOLCHAIN: _tc, ...ENV } = process.env;
const FILES = [
  ['rust-toolchain.toml', `[toolchain]\nchannel = "${PINNED}"\nprofile = "minimal"\n`],
  ['rust-toolchain', `${PINNED}\n`],
] as const;

describe.each(FILES.map(([name, text]) => [name, text] as const))('pinned by %s', (name, text) => {
  let dir = '';
  let stderr = '';
  let outputs: Array<{ platform: string; toolchain: { version: string; reason?: string } }> = [];

  beforeAll(async () => {
    const defaultRustc = execFileSync('rustc', ['-V'], { env: ENV, cwd: '/' }).toString().split(' ')[1];
    if (defaultRustc === PINNED) console.warn(`!!! the default rustc is ${PINNED}: this test no longer proves the pin is obeyed; change PINNED`);
    dir = await new CargoWorkspace()
      .manifest('.', '[package]\nname = "pinned-toolchain"\nversion = "0.1.0"\nedition = "2021"\n')
      .file('src/main.rs', 'fn main() { println!("hello"); }\n')
      .file(name, text)
      .build('bs-toolchain-file-');
    execFileSync('cargo', ['generate-lockfile', '--offline'], { cwd: dir, env: ENV, stdio: 'ignore' });
    const res = await runCli(['build', dir, '--json'], { env: ENV });
    if (res.code !== 0) throw new Error(`build failed with exit ${res.code}:\n${res.stderr.slice(-6000)}`);
    stderr = res.stderr;
    outputs = JSON.parse(res.stdout).outputs;
  });

  test(`the toolchain: line and build-static.json name rustc ${PINNED} and the file`, () => {
    const lines = stderr.split('\n').filter((l) => / toolchain: /.test(l));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(new RegExp(`rustc ${PINNED.replaceAll('.', '\\.')} .*pinned by .*/${name.replace('.', '\\.')}`));
    expect(outputs.map((o) => [o.platform, o.toolchain.version])).toEqual(PLATFORMS.map((p) => [p.id, PINNED]));
  });

  test.each(PLATFORMS.map((p) => [p.id, p] as const))('%s: static and runs', async (_id, platform) => {
    const exe = join(dir, 'target', 'build-static', 'out', platform.slug, 'pinned-toolchain');
    const elf = parseElf(new Uint8Array(await readFile(exe)));
    expect(elf.machine).toBe(platform.elfMachine);
    expect(classifyLinkage(elf)).toMatchObject({ kind: expect.stringMatching(/^static(-pie)?$/), needed: [] });
    const argv = hostPlatform() === platform ? [exe] : [platform.qemu, exe];
    expect(execFileSync(argv[0]!, argv.slice(1)).toString().trim()).toBe('hello');
  });
});

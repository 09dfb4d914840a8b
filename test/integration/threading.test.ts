// Threading verdicts on real programs built here: Rust (hello, a single-threaded CLI that spawns a
// child process, std::thread, rayon, tokio current-thread and multi-thread, crossbeam scope) for
// static musl amd64 and arm64 and dynamic glibc amd64, each unstripped and stripped; C programs
// calling pthread_create directly; and hello built by build-static itself (mimalloc linked in).
// No false "yes" on hello: the Rust std strings once used as markers are in every std binary.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { detectThreading, parseElf } from '../../scripts/src/elf/index.ts';
import { buildFixtures, type FixtureName, type Fixtures } from '../elf/fixtures.ts';
import { REPO, runCli } from '../helpers/cli.ts';
import { CargoWorkspace } from '../helpers/workspace.ts';

const PROBES = join(REPO, 'test/fixtures/threading-probes');
// A fixed target dir outside the repo: reruns reuse the compiled crates (cargo fingerprints them).
const TARGET_DIR = join(tmpdir(), 'bs-threading-probes-target');
const TARGETS = {
  'x86_64-unknown-linux-musl': { strip: 'strip', env: { CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS: '-C target-feature=+crt-static' } },
  'aarch64-unknown-linux-musl': {
    strip: 'aarch64-linux-gnu-strip',
    env: { CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS: '-C target-feature=+crt-static', CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER: 'aarch64-linux-gnu-gcc' },
  },
  'x86_64-unknown-linux-gnu': { strip: 'strip', env: {} },
} as const;
type Target = keyof typeof TARGETS;

/** Program → can it start threads (thread-creation code linked in). tokio's current-thread
 * runtime links its blocking pool (spawn_blocking, tokio::fs), so it can: yes. */
const PROGRAMS: Record<string, boolean> = {
  hello: false,
  cli: false,
  'std-thread': true,
  rayon: true,
  'tokio-current': true,
  'tokio-multi': true,
  'crossbeam-scope': true,
};

const rows = Object.entries(PROGRAMS).flatMap(([program, expected]) =>
  (Object.keys(TARGETS) as Target[]).flatMap((target) => [false, true].map((stripped) => [program, target, stripped, expected] as const)));

const C_ROWS: [FixtureName, boolean][] = [
  ['musl-threads-static', true], ['musl-threads-static-stripped', true],
  ['aarch64-musl-threads-static', true], ['aarch64-musl-threads-static-stripped', true],
  ['glibc-threads', true], ['glibc-threads-static-stripped', true],
  ['musl-static-stripped', false], ['aarch64-musl-static-stripped', false], ['glibc-static-stripped', false], ['gnu-dynamic', false],
];

let work: string;
let fx: Fixtures;
// Asynchronous on purpose: minutes of execFileSync would starve vitest's worker RPC.
const run = promisify(execFile);
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bs-threading-'));
  for (const [target, { strip, env }] of Object.entries(TARGETS)) {
    await run('cargo', ['build', '--release', '--target', target, '--target-dir', TARGET_DIR], { cwd: PROBES, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
    for (const program of Object.keys(PROGRAMS)) {
      const built = join(TARGET_DIR, target, 'release', program);
      copyFileSync(built, join(work, `${program}-${target}`));
      await run(strip, ['-o', join(work, `${program}-${target}-stripped`), built]);
    }
  }
  fx = buildFixtures(C_ROWS.map(([name]) => name));
}, 1_800_000);
afterAll(() => {
  fx?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const verdict = (path: string) => {
  const bytes = new Uint8Array(readFileSync(path));
  return detectThreading(bytes, parseElf(bytes));
};

describe('threading verdicts on real binaries', () => {
  test.each(rows)('Rust %s, %s, stripped=%s: multi-threaded = %s', (program, target, stripped, expected) => {
    const got = verdict(join(work, `${program}-${target}${stripped ? '-stripped' : ''}`));
    expect(got.multiThreaded, got.evidence.join(' | ')).toBe(expected);
    // The verdict rests on symbols or machine code, never on the hint strings alone.
    if (expected) expect(got.evidence.some((e) => /^(symbol|code of)/.test(e)), got.evidence.join(' | ')).toBe(true);
  });

  test.each(C_ROWS)('C %s: multi-threaded = %s', (name, expected) => {
    const got = verdict(fx.path(name));
    expect(got.multiThreaded, got.evidence.join(' | ')).toBe(expected);
  });

  test('hello built by build-static (stripped, mimalloc linked in by default): no, on both platforms', async () => {
    const hello = await new CargoWorkspace().binPackage('.', 'hello').build();
    const result = await runCli(['build', hello, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { outputs: Array<{ platform: string; allocator: string; multiThreaded: boolean | null }>; warnings: string[] };
    expect(json.outputs.map((o) => [o.platform, o.allocator, o.multiThreaded])).toEqual([['linux/amd64', 'mimalloc', false], ['linux/arm64', 'mimalloc', false]]);
    expect(json.warnings).toEqual([]);
  }, 1_200_000);
});

// A subset of the real-world corpus (bench/real-world) in `npm test`: two published crates from
// the crates registry, pinned by version and sha256, built with default flags for both platforms
// by the same script the benchmark runs — zoxide (a build script; rust-version 1.88) and sd
// (proc-macros through clap's derive; rust-version 1.70). Each must be static by the ELF, print its
// version on both platforms (arm64 under qemu), get mimalloc by default, and have a `plan` equal
// to `cargo chef prepare`. Sources and target dirs live in ~/.cache/build-static-bench/real-world
// (outside the clone), so a warm run recompiles only the crate itself. No network: it fails, loudly.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname;
const CRATES = [
  { name: 'zoxide', version: '0.10.0', output: /^zoxide 0\.10\.0$/ },
  { name: 'sd', version: '1.0.0', output: /^sd 1\.0\.0$/ },
] as const;

interface Outcome {
  name: string;
  version: string;
  built: boolean;
  error?: string;
  recipe?: { ok: boolean; equal?: boolean; differing?: string[]; error?: string };
  platforms?: Array<{ platform: string; linkage: string; allocator: string; ran: boolean; output: string }>;
}

describe('real-world corpus subset: zoxide and sd, both platforms', () => {
  const outcomes = new Map<string, Outcome>();

  // Asynchronously: a synchronous spawn of minutes would starve vitest's worker RPC.
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bs-real-world-')), 'real-world.json');
    const { BUILD_STATIC_RUSTC: _pin, RUSTUP_TOOLCHAIN: _tc, ...env } = process.env;
    const argv = [join(REPO, 'bench', 'real-world', 'run.mjs'), '--only', CRATES.map((c) => c.name).join(','), '--out', out];
    await promisify(execFile)(process.execPath, argv, { env, maxBuffer: 64 * 1024 * 1024 }).catch((e: { code?: number; stderr?: string }) => {
      throw new Error(`bench/real-world/run.mjs exited ${e.code}:\n${(e.stderr ?? '').slice(-4000)}`);
    });
    for (const c of JSON.parse(readFileSync(out, 'utf8')).crates as Outcome[]) outcomes.set(c.name, c);
    for (const c of outcomes.values()) {
      if (/fetch failed|download of|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(c.error ?? '')) {
        throw new Error(`!!! the crates registry is unreachable, so the corpus subset cannot run (NOT a pass): ${c.name}: ${c.error}`);
      }
    }
  });

  describe.each(CRATES.map((c) => [`${c.name} ${c.version}`, c] as const))('%s', (_label, crate) => {
    const outcome = (): Outcome => {
      const o = outcomes.get(crate.name);
      if (!o) throw new Error(`no result for ${crate.name}`);
      return o;
    };

    test('built with default flags', () => {
      expect(outcome().error ?? null).toBeNull();
      expect(outcome().built).toBe(true);
      expect(outcome().platforms?.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    });

    test('static by the ELF, runs (arm64 under qemu), mimalloc by default', () => {
      for (const p of outcome().platforms ?? []) {
        expect([p.platform, p.linkage]).toEqual([p.platform, expect.stringMatching(/^static(-pie)?$/)]);
        expect([p.platform, p.ran, p.output]).toEqual([p.platform, true, expect.stringMatching(crate.output)]);
        expect([p.platform, p.allocator]).toEqual([p.platform, 'mimalloc']);
      }
    });

    test('plan equals cargo chef prepare (manifests as data, Cargo.lock)', () => {
      expect(outcome().recipe).toMatchObject({ ok: true, equal: true, differing: [] });
    });
  });
});

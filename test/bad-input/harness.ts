// The sweep's harness: every case runs the real CLI in a fresh directory and must give exactly one
// `build-static: error:` line matching its message, the documented exit code, no stack trace
// (stderr or --json), and leave every file that existed before byte-identical — nothing deleted,
// nothing replaced — with no new file outside target/ (no temp leftovers, no partial output).
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { errorLines, runCli, type CliResult } from '../helpers/cli.ts';

export interface SweepCase {
  readonly name: string;
  /** Fills the case's fresh directory (a project, user files, …) before the run. */
  readonly setup?: (dir: string) => Promise<void>;
  /** The CLI's arguments; `dir` is the case's directory (also the cwd unless `cwd` says otherwise). */
  readonly args: (dir: string) => string[];
  readonly cwd?: (dir: string) => string;
  readonly env?: (dir: string) => NodeJS.ProcessEnv;
  readonly runtime?: (dir: string) => string[];
  readonly code: number;
  readonly message: RegExp;
  /** The one line's prefix (inspect --require reports `build-static: FILE does not meet …`). */
  readonly prefix?: string;
  /** Paths (relative to dir) the command may create; target/ is always allowed. */
  readonly mayCreate?: readonly string[];
}

// A tree's state without following links: file hashes, link targets, directories, other types.
export async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    const path = rel ? join(root, rel) : root;
    const st = await lstat(path).catch(() => undefined);
    if (!st) return;
    if (st.isSymbolicLink()) out.set(rel, `link:${await readlink(path)}`);
    else if (st.isFile()) out.set(rel, `file:${st.mode.toString(8)}:${createHash('sha256').update(await readFile(path)).digest('hex')}`);
    else if (st.isDirectory()) {
      if (rel) out.set(rel, 'dir');
      for (const name of (await readdir(path)).sort()) await walk(rel ? join(rel, name) : name);
    } else out.set(rel, `other:${st.mode.toString(8)}:${st.rdev}`);
  };
  await walk('');
  return out;
}

// Asserts nothing that existed changed and nothing new appeared except `allowed` prefixes.
export function expectUntouched(before: Map<string, string>, after: Map<string, string>, allowed: readonly string[] = []): void {
  const changed = [...before].filter(([p, v]) => after.get(p) !== v).map(([p]) => p);
  expect(changed, 'pre-existing files changed or deleted').toEqual([]);
  const ok = (p: string) => ['target', ...allowed].some((a) => p === a || p.startsWith(`${a}/`));
  const added = [...after.keys()].filter((p) => !before.has(p) && !ok(p));
  expect(added, 'new files outside target/').toEqual([]);
}

// Exactly one error line, matching; no stack trace anywhere; --json output (if any) parses.
export function expectOneLine(r: CliResult, code: number, message: RegExp, prefix = 'build-static: error:'): void {
  expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(code);
  const lines = prefix === 'build-static: error:' ? errorLines(r.stderr) : r.stderr.split('\n').filter((l) => l.startsWith(prefix));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr, 'no stack trace on stderr').not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stdout, 'no stack trace on stdout').not.toMatch(/\s+at .+:\d+:\d+/);
  expect(r.stderr, 'no internal error').not.toMatch(/internal error/);
}

// Runs one case end to end.
export async function runCase(c: SweepCase): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-sweep-'));
  await c.setup?.(dir);
  const before = await snapshot(dir);
  const r = await runCli(c.args(dir), { cwd: c.cwd?.(dir) ?? dir, ...(c.env ? { env: c.env(dir) } : {}), ...(c.runtime ? { runtime: c.runtime(dir) } : {}) });
  expectOneLine(r, c.code, c.message, c.prefix);
  if (c.args(dir).includes('--json')) {
    const json = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { ok: boolean; error: { code: string; detail?: string } };
    expect(json.ok).toBe(false);
    expect(json.error.detail ?? '', 'no stack trace in --json').not.toMatch(/\bat .+:\d+:\d+/);
  }
  expectUntouched(before, await snapshot(dir), c.mayCreate);
}

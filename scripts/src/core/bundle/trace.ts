// --dynamic: runs the executable once under strace and lists every path it opened or stat'ed
// (Python stats a module's source before it opens its .pyc), to include; ELF files among them are
// resolved like libraries, directories are created.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { runStep } from '../exec/exec.ts';
import { which } from '../fs.ts';

export interface Traced {
  readonly files: readonly string[];
  readonly dirs: readonly string[];
}

const SKIP = /^\/(proc|sys|dev|run|tmp)(\/|$)/;
const OPENS = new Set(['open', 'openat', 'openat2', 'execve', 'execveat']);
const STATS = /stat|access|readlink/;
const LINE = /^(?:\d+\s+)?([a-z0-9_]+)\((.*)\)\s+=\s+(-?\d+|\?)/;

// Parses strace's output: successful opens/execs are files, successful stats are candidates for
// directories; relative paths are taken against `cwd`, pseudo and scratch file systems dropped.
export function parseStrace(text: string, cwd: string): { opened: string[]; statted: string[] } {
  const opened = new Set<string>();
  const statted = new Set<string>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m || m[3] === '?' || m[3]!.startsWith('-')) continue;
    const q = /"((?:[^"\\]|\\.)*)"/.exec(m[2]!);
    if (!q || q[1]!.includes('\\') || q[1] === '') continue;
    if (m[1] !== 'execve' && /^(?:openat|newfstatat|statx|faccessat2?|readlinkat)$/.test(m[1]!) && !/^AT_FDCWD/.test(m[2]!) && !q[1]!.startsWith('/')) continue;
    const path = posix.resolve(cwd, q[1]!);
    if (SKIP.test(path)) continue;
    if (OPENS.has(m[1]!)) opened.add(path);
    else if (STATS.test(m[1]!)) statted.add(path);
  }
  return { opened: [...opened], statted: [...statted] };
}

// Runs `exe args` under strace with `stdin`; a failing sample run is an error (its tail shown).
export async function traceRun(exe: string, args: readonly string[], stdin: string | undefined, signal?: AbortSignal): Promise<{ opened: string[]; statted: string[] }> {
  const strace = await which('strace');
  if (!strace) throw new BuildStaticError('TOOL_MISSING', '--dynamic needs strace on PATH: apt-get install strace');
  const dir = await mkdtemp(posix.join(tmpdir(), 'build-static-trace-'));
  try {
    const log = posix.join(dir, 'trace');
    await runStep(
      { argv: [strace, '-f', '-qq', '-s', '4096', '-o', log, '-e', 'trace=%file', '--', exe, ...args] },
      { timeoutMs: 300_000, ...(stdin === undefined ? {} : { input: stdin }), ...(signal ? { signal } : {}) },
    ).catch((e: Error) => {
      throw new BuildStaticError('COMMAND_FAILED', `--dynamic sample run failed: ${e.message} (fix --dynamic-arg/--dynamic-stdin so the run succeeds)`, { detail: (e as { detail?: string }).detail });
    });
    return parseStrace(await readFile(log, 'utf8'), process.cwd());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

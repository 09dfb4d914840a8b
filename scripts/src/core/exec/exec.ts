// The only module that starts processes. Everything else describes commands as data ({argv, env,
// cwd}) and hands them here, so every failure carries the escaped command, the exit code or signal,
// and the tail of stderr.
import { BuildStaticError } from '../../errors.ts';
import { escapeCommand } from './escape.ts';
import { endProcessGroup, trackProcessGroup } from './process-group.ts';

export interface Step {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface RunOptions {
  /** Called for every line the process writes to stderr (cargo's progress). */
  readonly onStderrLine?: (line: string) => void;
  /** Called for every line the process writes to stdout (cargo's JSON messages). */
  readonly onStdoutLine?: (line: string) => void;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly input?: string;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

const TAIL_LINES = 30;

type Execa = typeof import('execa').execa;
let execaModule: Promise<Execa> | undefined;
// execa and its sixty-odd modules are a tenth of a second of start-up: they load with the first
// command run, so a command that starts none (inspect; bundle without --dynamic) never pays.
function loadExeca(): Promise<Execa> {
  execaModule ??= import('execa').then((m) => m.execa);
  return execaModule;
}

// Keeps the last lines of stderr that explain a failure, like execa's message but bounded.
export function stderrTail(stderr: string, lines = TAIL_LINES): string {
  const all = stderr.split('\n').filter((l) => l.trim() !== '');
  return all.slice(-lines).join('\n');
}

// Runs a step to completion, streaming its lines to the callbacks; throws COMMAND_FAILED with the
// escaped command, exit code or signal, and stderr tail when it fails or cannot start. The child
// leads its own process group; when `signal` aborts, the whole group is ended before this returns.
export async function runStep(step: Step, options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = step.argv;
  if (file === undefined) throw new BuildStaticError('COMMAND_FAILED', 'empty command');
  const execa = await loadExeca();
  const child = execa(file, args, {
    cwd: step.cwd,
    env: step.env,
    extendEnv: true,
    reject: false,
    stripFinalNewline: true,
    timeout: options.timeoutMs,
    detached: true,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    lines: false,
    buffer: true,
    maxBuffer: 512 * 1024 * 1024,
  });
  forwardLines(child.stdout, options.onStdoutLine);
  forwardLines(child.stderr, options.onStderrLine);
  const pgid = child.pid;
  const end = () => (pgid === undefined ? Promise.resolve() : endProcessGroup(pgid));
  const onAbort = () => void end();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const untrack = pgid === undefined ? () => false : trackProcessGroup(pgid);
  let result;
  try {
    result = await child;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (options.signal?.aborted) {
    await end();
    untrack();
    throw new CommandError(`${escapeCommand(step.argv)} was interrupted`, { argv: step.argv, signal: 'SIGTERM', stderr: String(result.stderr ?? ''), notFound: false });
  }
  untrack();
  if (result.failed) {
    const command = escapeCommand(step.argv);
    const how = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : result.signal
        ? `was killed with ${result.signal}`
        : result.exitCode === undefined
          ? `could not start (${result.originalMessage ?? result.shortMessage})`
          : `failed with exit code ${result.exitCode}`;
    throw new CommandError(`${command} ${how}`, {
      argv: step.argv,
      exitCode: result.exitCode,
      signal: result.signal,
      stderr: String(result.stderr ?? ''),
      notFound: result.exitCode === undefined && /ENOENT/.test(result.originalMessage ?? result.message ?? ''),
    });
  }
  return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

// A failed command: keeps argv, exit code, signal and stderr so callers can re-classify it
// (a missing linker, a missing C library) into a more specific BuildStaticError.
export class CommandError extends BuildStaticError {
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stderr: string;
  readonly notFound: boolean;

  constructor(
    message: string,
    info: { argv: readonly string[]; exitCode?: number; signal?: string; stderr: string; notFound: boolean },
  ) {
    super('COMMAND_FAILED', message, { detail: stderrTail(info.stderr) || undefined });
    this.argv = info.argv;
    this.exitCode = info.exitCode;
    this.signal = info.signal;
    this.stderr = info.stderr;
    this.notFound = info.notFound;
  }
}

// Runs a short probe (`rustc -vV`) and returns its stdout, or undefined when it fails or is absent.
export async function probe(argv: readonly string[], cwd?: string, env?: Record<string, string>): Promise<string | undefined> {
  try {
    return (await runStep({ argv, cwd, env }, { timeoutMs: 120_000 })).stdout;
  } catch {
    return undefined;
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null | undefined, onLine?: (line: string) => void): void {
  if (!stream || !onLine) return;
  let pending = '';
  stream.setEncoding?.('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
    pending = '';
  });
}

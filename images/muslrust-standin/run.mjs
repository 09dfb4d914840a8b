// Process helpers for the image scripts (muslrust-standin, muslrust-chef): run a command with its
// output streamed under a prefix, or capture it; a failure becomes one line naming the command and
// the last lines it printed. Kept apart from scripts/src, whose core/exec is the library's only spawner.
import { spawn } from 'node:child_process';

export class ScriptError extends Error {
  /** exitCode: 1 a command failed, 2 bad input, 3 the machine lacks something. */
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

// Runs argv; streams each output line to `log` (prefixed) unless quiet; resolves with stdout.
export function run(argv, { env, cwd, log, quiet = false, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: env ? { ...process.env, ...env } : process.env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    const tail = [];
    const partial = { out: '', err: '' };
    const emit = (line) => {
      if (line.trim() === '') return;
      tail.push(line);
      if (tail.length > 15) tail.shift();
      if (!quiet && log) log(`  ${line}`);
    };
    // Whole lines only: a chunk may end mid-line.
    const take = (chunk, which) => {
      const text = chunk.toString();
      if (which === 'out') stdout += text;
      const lines = (partial[which] + text).split('\n');
      partial[which] = lines.pop();
      lines.forEach(emit);
    };
    child.stdout.on('data', (c) => take(c, 'out'));
    child.stderr.on('data', (c) => take(c, 'err'));
    if (input !== undefined) child.stdin.end(input);
    child.on('error', (e) => reject(new ScriptError(`${argv[0]} could not start (${e.code === 'ENOENT' ? 'not installed: run ./setup.sh' : e.message})`, e.code === 'ENOENT' ? 3 : 1)));
    child.on('close', (code, signal) => {
      emit(partial.out);
      emit(partial.err);
      if (code === 0) return resolve(stdout);
      const last = tail.slice(-3).join(' | ');
      reject(new ScriptError(`${argv.slice(0, 4).join(' ')}${argv.length > 4 ? ' …' : ''} ${signal ? `was killed by ${signal}` : `failed with exit code ${code}`}${last ? `: ${last}` : ''}`));
    });
  });
}

// True when the command exits 0 (podman image exists, …); never throws.
export function succeeds(argv) {
  return run(argv, { quiet: true }).then(() => true, () => false);
}

// `--name value` / `--name=value` parsing shared by the build scripts; unknown flags are errors.
export function parseFlags(args, known, usage) {
  const out = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return { help: true };
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    const spec = m && known[m[1]];
    if (!spec) throw new ScriptError(`unknown argument "${a}" (${usage})`, 2);
    if (spec === 'bool') out[m[1]] = true;
    else if (m[2] !== undefined) out[m[1]] = m[2];
    else if (i + 1 < args.length) out[m[1]] = args[++i];
    else throw new ScriptError(`--${m[1]} needs a value (${usage})`, 2);
  }
  return out;
}

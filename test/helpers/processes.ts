// Real processes for integration tests: the example service (natively or under qemu-user) and
// redis-server, each on a free 127.0.0.1 port, always stopped by the test that started it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Sends SIGTERM and resolves with the exit code (or the signal name). */
  readonly stop: () => Promise<number | string | null>;
  readonly exited: Promise<number | string | null>;
}

// A port nothing listens on right now.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// Starts argv and resolves once a line matches `ready` (rejects if the process exits first or the
// deadline passes). Returns the match and a handle.
export function startProcess(argv: readonly string[], options: { env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number }): Promise<{ match: RegExpExecArray; proc: Running }> {
  const [cmd, ...args] = argv;
  const child = spawn(cmd!, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const proc: Running = {
    child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')} did not become ready within ${options.timeoutMs ?? 30_000} ms; output:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = options.ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ match, proc });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(' ')} exited with ${code} before it was ready; output:\n${output}`));
    });
  });
}

// A real redis-server on 127.0.0.1 with no persistence; fails loudly when it is not installed.
export async function startRedis(): Promise<{ url: string; port: number; proc: Running }> {
  const port = await freePort();
  const { proc } = await startProcess(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    ready: /Ready to accept connections/,
  }).catch((error: Error) => {
    throw new Error(`cannot start redis-server (install Debian's redis-server, or run ./setup.sh): ${error.message}`);
  });
  return { url: `redis://127.0.0.1:${port}`, port, proc };
}

// A daemon (buildkitd, dockerd) for a whole test file: its output collected, and a stop that
// sends SIGTERM, then SIGKILL after `graceMs`, and waits for the exit.
export function spawnDaemon(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, graceMs = 20_000): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  let output = '';
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => output, stop };
}

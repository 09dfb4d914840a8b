// Runs the built CLI (scripts/dist) as a real process, the way users run it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../scripts/dist/cli/main.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Spawns `node scripts/dist/cli/main.js ...args`; fails loudly if the CLI was not built.
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; runtime?: readonly string[] } = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`the CLI is not built (${CLI} missing): run "npm run build" (npm test does it first)`);
  const [cmd, ...pre] = options.runtime ?? [process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, CLI, ...args], { cwd: options.cwd ?? REPO, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// The `build-static: error: …` lines of a run (a bad input must produce exactly one).
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('build-static: error:'));
}

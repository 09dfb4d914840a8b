// The muslrust-chef image for integration tests (its own and the Dockerfile renderer's): builds it
// with images/muslrust-chef/build.mjs on the muslrust stand-in and pushes it to a test registry.
// Cache-friendly: the stand-in's Debian roots and std are cached under ~/.cache/build-static, and
// podman's layer cache makes a rebuild on a warm machine a push (about a minute, mostly gzip).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestRegistry } from './registry.ts';

const SCRIPT = fileURLToPath(new URL('../../images/muslrust-chef/build.mjs', import.meta.url));
const built = new Map<string, Promise<MuslrustChef>>();

export interface MuslrustChef {
  /** `<registry>/<org>/muslrust-chef:<tag>` */
  readonly ref: string;
  /** The index's digest in the registry. */
  readonly digest: string;
  /** The stand-in index it was built FROM. */
  readonly base: string;
  readonly seconds: number;
}

export interface MuslrustChefOptions {
  readonly org?: string;
  readonly tag?: string;
  /** Where build progress goes (default: this process's stderr, so a cold build is not silent). */
  readonly onLine?: (line: string) => void;
}

// Builds (or reuses) muslrust-chef for linux/amd64 + linux/arm64 and pushes it to the registry;
// resolves with the pushed reference. Once per registry and name in a test process. Needs root,
// podman, mmdebstrap and qemu binfmt (./setup.sh); fails with the script's one-line error if not.
export function ensureMuslrustChef(registry: TestRegistry | string, options: MuslrustChefOptions = {}): Promise<MuslrustChef> {
  const host = typeof registry === 'string' ? registry : registry.host;
  const args = ['--registry', host, '--org', options.org ?? 'build-static', '--tag', options.tag ?? 'latest', '--json'];
  const key = args.join(' ');
  let pending = built.get(key);
  if (!pending) {
    pending = runBuild(args, options.onLine ?? ((line) => process.stderr.write(`${line}\n`)));
    built.set(key, pending);
    pending.catch(() => built.delete(key));
  }
  return pending;
}

function runBuild(args: string[], onLine: (line: string) => void): Promise<MuslrustChef> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail: string[] = [];
    let pending = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        onLine(line);
        tail = [...tail.slice(-19), line];
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`images/muslrust-chef/build.mjs ${args.join(' ')} exited with ${code}:\n${[...tail, pending].join('\n')}`));
      try {
        const json = JSON.parse(stdout) as MuslrustChef;
        if (!json.ref || !json.digest) throw new Error('no ref/digest');
        resolve(json);
      } catch (e) {
        reject(new Error(`images/muslrust-chef/build.mjs printed no JSON result (${(e as Error).message}): ${stdout}`));
      }
    });
  });
}

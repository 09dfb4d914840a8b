// Real registries for the registry client's tests: Debian's `docker-registry` (distribution 2.8)
// on a free 127.0.0.1 port with storage in a temp dir, optionally behind htpasswd Basic auth or a
// Bearer token service (test/oci/registry/token-server.ts). Fault injection lives in
// test/oci/registry/faulty-proxy.ts.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.ts';

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  readonly port: number;
  /** The storage root (survives stop/kill, so restart sees the same blobs). */
  readonly root: string;
  output(): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL at once (a registry dying mid-push). */
  kill(): Promise<void>;
  /** Starts again on the same port and storage. */
  restart(): Promise<void>;
  /** Stops it and deletes its directory. */
  dispose(): Promise<void>;
}

export interface RegistryOptions {
  /** Basic auth with one bcrypt user (made with `htpasswd -Bbn`). */
  readonly htpasswd?: { readonly username: string; readonly password: string };
  /** Bearer token auth: the registry trusts tokens signed by the certificate in `certFile`. */
  readonly token?: TokenAuth;
}

// Starts docker-registry and resolves once GET /v2/ answers.
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-registry-'));
  const root = join(dir, 'storage');
  const port = await freePort();
  const lines = ['version: 0.1', 'log:', '  level: info', 'storage:', '  filesystem:', `    rootdirectory: ${root}`, '  delete:', '    enabled: true'];
  lines.push('http:', `  addr: 127.0.0.1:${port}`, '  secret: build-static-test-secret');
  if (options.htpasswd) {
    const line = execFileSync('htpasswd', ['-Bbn', options.htpasswd.username, options.htpasswd.password], { encoding: 'utf8' }).trim();
    await writeFile(join(dir, 'htpasswd'), `${line}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: build-static-test', `    path: ${join(dir, 'htpasswd')}`);
  } else if (options.token) {
    lines.push('auth:', '  token:', `    realm: ${options.token.realm}`, `    service: ${options.token.service}`, `    issuer: ${options.token.issuer}`, `    rootcertbundle: ${options.token.certFile}`);
  }
  const config = join(dir, 'config.yml');
  await writeFile(config, `${lines.join('\n')}\n`);

  let child: ChildProcess | undefined;
  let output = '';
  const launch = async () => {
    child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const started = child;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null || started.signalCode !== null) throw new Error(`docker-registry exited before answering; output:\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v2/`);
        await res.body?.cancel();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    started.kill('SIGKILL');
    throw new Error(`docker-registry did not answer on 127.0.0.1:${port} within 20 s; output:\n${output}`);
  };
  const end = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  await launch();
  return {
    host: `127.0.0.1:${port}`,
    port,
    root,
    output: () => output,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: launch,
    dispose: async () => {
      await end('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TokenAuth {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly certFile: string;
}

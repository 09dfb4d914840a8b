// A real Docker engine for tests: Debian's dockerd (docker.io, installed by setup.sh) started by
// hand as the environment allows it — no iptables, no bridge (builds and containers use the host
// network), its own socket and exec root in a temp dir. The data root (images and BuildKit's
// layer and cache-mount store) can be kept in a cache dir, so a warm machine rebuilds only what
// changed. Loopback registries are plain HTTP for dockerd without configuration.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { which } from '../../scripts/src/core/fs.ts';
import { spawnDaemon } from './processes.ts';

const exec = promisify(execFile);

export interface Dockerd {
  /** `unix:///…/docker.sock` */
  readonly host: string;
  /** Environment for docker/build-static commands: DOCKER_HOST set to this daemon. */
  readonly env: NodeJS.ProcessEnv;
  /** What dockerd printed so far (for failure messages). */
  output(): string;
  /** Stops dockerd (and its containerd) and deletes the temp dir; a kept data root stays. */
  dispose(): Promise<void>;
}

// Starts dockerd and waits until `docker version` reaches it (60 s at most).
export async function startDockerd(options: { dataRoot?: string } = {}): Promise<Dockerd> {
  const daemon = await which('dockerd');
  if (!daemon) throw new Error('dockerd is not installed: run ./setup.sh (it installs Debian\'s docker.io)');
  const dir = await mkdtemp(join(tmpdir(), 'bs-dockerd-'));
  const root = options.dataRoot ?? join(dir, 'root');
  await mkdir(root, { recursive: true });
  const host = `unix://${join(dir, 'docker.sock')}`;
  const argv = ['--data-root', root, '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'), '--host', host, '--iptables=false', '--bridge=none'];
  const { child, output, stop } = spawnDaemon(daemon, argv, process.env, 30_000);
  const env = { ...process.env, DOCKER_HOST: host };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode} before answering; output:\n${output().slice(-4000)}`);
      const ok = await exec('docker', ['version', '--format', '{{.Server.Version}}'], { env }).then(() => true, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`dockerd did not answer on ${host} within 60 s; output:\n${output().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stop();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return {
    host,
    env,
    output,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

// A real BuildKit for tests: a rootful buildkitd (runc worker, host network, state in a temp or
// cache dir, a unix socket, a buildkitd.toml that marks the given 127.0.0.1 registries as plain
// HTTP), and a docker buildx builder with the `remote` driver pointing at it — the same kind of
// builder a team uses to build on a bigger remote machine. buildkitd, buildctl and the buildx
// plugin are built by setup.sh into ~/.cache/build-static/go/bin; without them this fails loudly.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '../../scripts/src/core/fs.ts';
import { spawnDaemon } from './processes.ts';

const exec = promisify(execFile);

export interface BuildKit {
  /** The buildx builder's name (pass `--builder NAME`, with `env`). */
  readonly builder: string;
  /** `unix:///…/buildkitd.sock` */
  readonly address: string;
  /** Environment for docker/build-static commands: a private DOCKER_CONFIG with the buildx plugin. */
  readonly env: NodeJS.ProcessEnv;
  /** What buildkitd printed so far (for failure messages). */
  output(): string;
  /** Removes the builder, stops buildkitd and deletes the temp dirs (a cache state dir is kept). */
  dispose(): Promise<void>;
}

export interface BuildKitOptions {
  /** Registries (`127.0.0.1:PORT`) to reach over plain HTTP. */
  readonly insecureRegistries?: readonly string[];
  /** Keep buildkitd's state (layer and cache-mount store) here, e.g. for warm reruns. */
  readonly stateDir?: string;
}

export const BUILDKIT_BIN = join(cacheDir(), 'go', 'bin');

// The docker-buildx plugin, wherever docker would find it.
function buildxPlugin(): string {
  const candidates = [
    join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'cli-plugins', 'docker-buildx'),
    '/usr/local/lib/docker/cli-plugins/docker-buildx',
    '/usr/libexec/docker/cli-plugins/docker-buildx',
    '/usr/lib/docker/cli-plugins/docker-buildx',
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the docker buildx plugin is not installed (looked in ${candidates.join(', ')}): run ./setup.sh`);
  return found;
}

async function waitForWorkers(address: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`buildkitd exited before answering; output:\n${output()}`);
    try {
      const { stdout } = await exec(join(BUILDKIT_BIN, 'buildctl'), ['--addr', address, 'debug', 'workers']);
      if (/linux\/amd64/.test(stdout)) return;
      last = stdout;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`buildkitd did not answer on ${address} within 60 s (${last}); output:\n${output()}`);
}

// Starts buildkitd and registers a remote-driver buildx builder for it.
export async function startBuildKit(options: BuildKitOptions = {}): Promise<BuildKit> {
  const daemon = join(BUILDKIT_BIN, 'buildkitd');
  if (!existsSync(daemon) || !existsSync(join(BUILDKIT_BIN, 'buildctl'))) throw new Error(`buildkitd/buildctl are not in ${BUILDKIT_BIN}: run ./setup.sh (it builds them with Go)`);
  const plugin = buildxPlugin();
  const dir = await mkdtemp(join(tmpdir(), 'bs-buildkit-'));
  const root = options.stateDir ?? join(dir, 'root');
  await mkdir(root, { recursive: true });
  const dockerConfig = join(dir, 'docker');
  await mkdir(join(dockerConfig, 'cli-plugins'), { recursive: true });
  await symlink(plugin, join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  await writeFile(join(dockerConfig, 'config.json'), '{}\n');
  const address = `unix://${join(dir, 'buildkitd.sock')}`;
  const config = [
    `root = ${JSON.stringify(root)}`,
    '[grpc]',
    `  address = [${JSON.stringify(address)}]`,
    '[worker.oci]',
    '  enabled = true',
    '  snapshotter = "auto"',
    '  networkMode = "host"',
    '[worker.containerd]',
    '  enabled = false',
    ...(options.insecureRegistries ?? []).flatMap((r) => [`[registry.${JSON.stringify(r)}]`, '  http = true', '  insecure = true']),
  ];
  await writeFile(join(dir, 'buildkitd.toml'), `${config.join('\n')}\n`);

  const { child, output, stop } = spawnDaemon(daemon, ['--config', join(dir, 'buildkitd.toml')], { ...process.env, PATH: `${BUILDKIT_BIN}:${process.env.PATH}` });
  const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
  const builder = `bs-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await waitForWorkers(address, child, output);
    await exec('docker', ['buildx', 'create', '--name', builder, '--driver', 'remote', address], { env });
  } catch (error) {
    await stop();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return {
    builder,
    address,
    env,
    output,
    dispose: async () => {
      await exec('docker', ['buildx', 'rm', builder], { env }).catch(() => undefined);
      await stop();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

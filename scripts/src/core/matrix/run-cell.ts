// Runs one cell for real: the base's files plus the program at /app unpacked into a temp root,
// then `chroot ROOT /app ARGS` with an empty environment (arm64 through qemu-aarch64-static
// copied into the root after the sizes are taken), stopped after a few seconds if it serves.
import { chmod, mkdir, mkdtemp, copyFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import type { TarEntry } from '../../oci/index.ts';
import { BuildStaticError } from '../../errors.ts';
import { CommandError, runStep } from '../exec/exec.ts';
import { which } from '../fs.ts';
import { BUNDLE_PATH } from '../bundle/run-test.ts';
import type { RunOutcome } from './classify.ts';
import type { MatrixArch } from './bases.ts';

export interface Probe {
  /** Arguments after /app (`--version`); empty for a server. */
  readonly args: readonly string[];
  /** Extra environment (PORT=0 for a server). */
  readonly env: Readonly<Record<string, string>>;
  /** A server's ready line; when set the run is stopped after `seconds`. */
  readonly ready?: RegExp;
  readonly seconds: number;
}

// Writes tar entries as files under `root` (the unpacked image).
export async function unpack(root: string, entries: readonly TarEntry[]): Promise<void> {
  for (const e of entries) {
    const to = join(root, e.path);
    await mkdir(e.type === 'dir' ? to : dirname(to), { recursive: true });
    if (e.type === 'symlink') await symlink(e.target, to);
    else if (e.type === 'file') {
      await writeFile(to, e.data);
      await chmod(to, e.mode ?? 0o644);
    }
  }
}

// Runs the probe in a chroot of `entries` and returns what happened (never throws for a failed run).
export async function runInRoot(entries: readonly TarEntry[], arch: MatrixArch, probe: Probe, signal?: AbortSignal): Promise<RunOutcome> {
  if (process.getuid?.() !== 0) throw new BuildStaticError('TOOL_MISSING', 'matrix runs each cell in a chroot, which needs root: run as root');
  const chroot = (await which('chroot')) ?? (await which('chroot', { PATH: '/usr/sbin:/sbin' }));
  const [env, timeout] = [await which('env'), await which('timeout')];
  if (!chroot || !env || !timeout) throw new BuildStaticError('TOOL_MISSING', 'matrix needs chroot, env and timeout (coreutils) on PATH');
  const root = await mkdtemp(join(tmpdir(), 'build-static-matrix-'));
  try {
    await unpack(root, entries);
    const prefix: string[] = [];
    if (arch === 'arm64' && process.arch !== 'arm64') {
      const qemu = await which('qemu-aarch64-static');
      if (!qemu) throw new BuildStaticError('TOOL_MISSING', 'matrix runs arm64 cells under qemu: apt-get install qemu-user-static');
      await copyFile(qemu, join(root, '.qemu-aarch64-static'));
      await chmod(join(root, '.qemu-aarch64-static'), 0o755);
      prefix.push('/.qemu-aarch64-static');
    }
    const vars = Object.entries(probe.env).map(([k, v]) => `${k}=${v}`);
    const argv = [env, '-i', `PATH=${BUNDLE_PATH}`, ...vars, timeout, '-s', 'TERM', '-k', '2', String(probe.seconds), chroot, root, ...prefix, '/app', ...probe.args];
    let stdout = '';
    try {
      const r = await runStep({ argv }, { onStdoutLine: (l) => (stdout += `${l}\n`), ...(signal ? { signal } : {}) });
      return { exitCode: 0, stdout: r.stdout || stdout, stderr: r.stderr };
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      return { exitCode: e.exitCode, stdout, stderr: e.stderr };
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

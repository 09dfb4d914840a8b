// `cargo metadata` as typed data: the workspace, its packages and their targets. Cargo knows the
// manifest format better than any parser we could write, so we ask it.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { CommandError, runStep } from '../exec/exec.ts';

export interface CargoTarget {
  readonly name: string;
  readonly kind: readonly string[];
  readonly src_path: string;
  readonly 'required-features'?: readonly string[];
}

export interface CargoPackage {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly manifest_path: string;
  readonly targets: readonly CargoTarget[];
  readonly metadata: unknown;
  readonly repository?: string | null;
  readonly description?: string | null;
  /** `rust-version` from Cargo.toml (workspace inheritance already resolved by cargo), or null. */
  readonly rust_version?: string | null;
  readonly dependencies: ReadonlyArray<{
    readonly name: string;
    readonly features: readonly string[];
    readonly kind: string | null;
    readonly optional?: boolean;
    readonly rename?: string | null;
  }>;
  /** The feature table, including cargo's implicit features for optional dependencies. */
  readonly features?: Readonly<Record<string, readonly string[]>>;
}

export interface CargoMetadata {
  readonly packages: readonly CargoPackage[];
  readonly workspace_members: readonly string[];
  readonly workspace_default_members?: readonly string[];
  readonly workspace_root: string;
  readonly target_directory: string;
  readonly metadata: unknown;
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

// Checks DIR is a Cargo project before anything runs, with a message that says how to fix it.
export async function requireCargoProject(dir: string): Promise<string> {
  const abs = resolve(dir);
  const info = await stat(abs).catch(() => undefined);
  if (!info) throw new BuildStaticError('NOT_CARGO_PROJECT', `${abs} does not exist: pass the path of a Rust project (the directory with Cargo.toml)`);
  if (!info.isDirectory()) throw new BuildStaticError('NOT_CARGO_PROJECT', `${abs} is not a directory: pass the path of a Rust project (the directory with Cargo.toml)`);
  const manifest = await stat(join(abs, 'Cargo.toml')).catch(() => undefined);
  if (!manifest) {
    throw new BuildStaticError('NOT_CARGO_PROJECT', `no Cargo.toml in ${abs}: run build-static in a Rust project, or pass its directory (cargo new creates one)`);
  }
  // A symlink to /dev/zero or a FIFO would make cargo read forever (it ate 4 GB on /dev/zero).
  if (!manifest.isFile()) throw new BuildStaticError('NOT_CARGO_PROJECT', `${join(abs, 'Cargo.toml')} is not a regular file (a device, FIFO or directory): make it the project's manifest`);
  if (manifest.size > MAX_MANIFEST_BYTES) throw new BuildStaticError('NOT_CARGO_PROJECT', `${join(abs, 'Cargo.toml')} is ${manifest.size} bytes, over ${MAX_MANIFEST_BYTES}: that is not a Cargo manifest`);
  return abs;
}

// Runs `cargo metadata --no-deps` for the project; cargo's own first error line becomes the message.
export async function readCargoMetadata(dir: string, cargo: string, env?: Record<string, string>): Promise<CargoMetadata> {
  try {
    const { stdout } = await runStep({
      argv: [cargo, 'metadata', '--format-version', '1', '--no-deps', '--manifest-path', join(dir, 'Cargo.toml')],
      cwd: dir,
      env,
    });
    return JSON.parse(stdout) as CargoMetadata;
  } catch (error) {
    if (error instanceof CommandError) {
      const line = firstCargoError(error.stderr) ?? error.message;
      throw new BuildStaticError('CARGO_METADATA_FAILED', `cargo cannot read ${join(dir, 'Cargo.toml')}: ${line}`, { cause: error, detail: error.detail });
    }
    throw error;
  }
}

// The first `error: …` line cargo printed, with its continuation if the line ends in a colon,
// followed by each `Caused by:` reason (cargo's real explanation, shown otherwise only with
// --verbose), all on one line: `failed to parse manifest at X: manifest is missing …`.
export function firstCargoError(stderr: string): string | undefined {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => l.startsWith('error'));
  if (i < 0) return undefined;
  let text = (lines[i] ?? '').replace(/^error(\[[A-Z0-9]+\])?:\s*/, '');
  const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('-->'));
  if (text.endsWith(':') && next && next.trim() !== 'Caused by:') text += ` ${next.trim()}`;
  const causes: string[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    if (lines[j]?.trim() !== 'Caused by:') continue;
    const reason: string[] = [];
    for (let k = j + 1; k < lines.length && /^\s+\S/.test(lines[k] ?? ''); k++) reason.push((lines[k] ?? '').trim());
    if (reason.length) causes.push(reason.join(' '));
  }
  return [text.replace(/:$/, ''), ...causes].join(': ');
}

// The workspace members as packages, in cargo's order.
export function workspacePackages(meta: CargoMetadata): CargoPackage[] {
  return meta.packages.filter((p) => meta.workspace_members.includes(p.id));
}

// The one rule for every path build-static writes (build --out, image --oci-layout/--tarball,
// plan -o, dockerfile --out, bundle OUT, cook's skeleton): create it, or replace only what it can
// prove is its own earlier output, else refuse with one line naming --force. Some paths are
// refused even with --force: an empty path, "/", $HOME, the current directory, the project, an
// input of the command, any parent of those, and anything of the wrong kind (a file or device
// for a directory output, a directory for a file output, a symlink for either).
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../errors.ts';

export interface OutputClaim {
  /** The path as the user gave it (quoted back in messages). */
  readonly path: string;
  /** How the user named it: "--out", "--oci-layout", "-o", "OUT". */
  readonly flag: string;
  readonly kind: 'dir' | 'file';
  /** undefined: the command has no --force; true/false: the flag's value. */
  readonly force?: boolean;
  /** The project and the command's inputs: never replaced, nor any directory that holds them. */
  readonly protect?: readonly string[];
  /** Proves an existing path is build-static's own earlier output (safe to replace). */
  readonly isOwn?: (abs: string) => Promise<boolean>;
  /** What isOwn looks for, for the refusal message ("no build-static.json"). */
  readonly ownMarker?: string;
}

const refuse = (message: string) => new BuildStaticError('OUTPUT_REFUSED', message);

// `inner` is `outer` or lies inside it.
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

function currentDir(): string {
  try {
    return process.cwd();
  } catch {
    throw new BuildStaticError('USAGE', 'the current directory no longer exists: cd into an existing directory and run build-static again');
  }
}

// Paths that may never be replaced, with why (the cwd, $HOME and "/" always; then the claim's).
async function forbidden(claim: OutputClaim): Promise<Array<[string, string]>> {
  const list: Array<[string, string]> = [['/', 'the root directory'], [currentDir(), 'the current directory'], [homedir(), 'your home directory']];
  for (const p of claim.protect ?? []) list.push([resolve(p), `${p}, an input of this command`]);
  const out: Array<[string, string]> = [];
  for (const [p, why] of list) out.push([p, why], [await real(p), why]);
  return out;
}

// Checks the claim and returns the absolute path to write; throws OUTPUT_REFUSED otherwise.
export async function claimOutput(claim: OutputClaim): Promise<string> {
  const shown = `${claim.flag} ${JSON.stringify(claim.path)}`;
  if (claim.path.trim() === '') throw refuse(`${claim.flag} is empty (an unset variable?): give a path for the ${claim.kind === 'dir' ? 'output directory' : 'output file'}`);
  const abs = resolve(claim.path);
  const absReal = await real(abs);
  for (const [p, why] of await forbidden(claim)) {
    if (within(p, abs) || within(p, absReal)) {
      const what = p === abs || p === absReal ? `is ${why}` : `holds ${why}`;
      throw refuse(`${shown} ${what}: build-static never replaces it, not even with --force; choose a new path such as ./dist`);
    }
  }
  const st = await lstat(abs).catch(() => undefined);
  if (!st) return abs;
  if (st.isSymbolicLink()) throw refuse(`${shown} is a symlink: build-static does not replace links; give the real path or a new one`);
  if (claim.kind === 'dir' && !st.isDirectory()) throw refuse(`${shown} exists and is not a directory: build-static writes a directory there; choose a new path (it never replaces a file, not even with --force)`);
  if (claim.kind === 'file' && !st.isFile()) throw refuse(`${shown} exists and is not a regular file: choose a new path (build-static never replaces a directory or device, not even with --force)`);
  if (claim.kind === 'dir' && (await isEmptyDir(abs))) return abs;
  if (claim.isOwn && (await claim.isOwn(abs).catch(() => false))) return abs;
  if (claim.force) return abs;
  const why = claim.ownMarker ? ` (${claim.ownMarker})` : '';
  const fix = claim.force === undefined ? 'choose a new path' : 'choose a new path, or pass --force to replace it';
  throw refuse(`${shown} already exists and is not build-static's own output${why}: ${fix}`);
}

async function isEmptyDir(dir: string): Promise<boolean> {
  return (await readdir(dir)).length === 0;
}

// Reads a small JSON file, or undefined when it is absent or not JSON.
export async function readJsonQuietly(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

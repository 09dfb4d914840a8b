// --test: runs a command inside a chroot of the bundle with an empty environment (only PATH), and
// checks it exits 0 and, when asked, prints the expected stdout. Needs root, like chroot itself.
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { CommandError, runStep } from '../exec/exec.ts';
import { which } from '../fs.ts';

export const BUNDLE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Splits a command line like a shell would for words and quotes (no expansion, no operators).
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|((?:[^\s"'\\]|\\.)+)|(\s+)/g;
  let word: string | undefined;
  for (const m of line.matchAll(re)) {
    if (m[4] !== undefined) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2] : m[3]!.replace(/\\(.)/g, '$1');
    word = (word ?? '') + piece;
  }
  if (word !== undefined) words.push(word);
  return words;
}

export interface TestSpec {
  readonly argv: readonly string[];
  readonly stdin?: string;
  readonly stdout?: string;
  /** Extra environment for the command (LD_PRELOAD), besides PATH. */
  readonly env?: Readonly<Record<string, string>>;
}

// With extra variables (LD_PRELOAD) the host's chroot(1) must not see them — its own loader would
// preload the library as well (a host path) or complain that it is missing — so perl (essential on
// Debian) chroots first, then sets the environment and execs the command with a PATH search inside.
const CHROOT_THEN_ENV = 'my $r = shift; my %e; while (@ARGV && $ARGV[0] ne "--") { my ($k, $v) = split /=/, shift, 2; $e{$k} = $v } shift;'
  + ' chroot($r) or die "chroot $r: $!\n"; chdir("/") or die "chdir /: $!\n"; %ENV = %e; exec { $ARGV[0] } @ARGV or die "$ARGV[0]: $!\n";';

// The argv that runs `spec` in the chroot with only PATH (and spec.env) in its environment.
export async function chrootArgv(root: string, spec: TestSpec): Promise<string[]> {
  const chroot = (await which('chroot')) ?? (await which('chroot', { PATH: '/usr/sbin:/sbin' }));
  const env = await which('env');
  if (!chroot || !env) throw new BuildStaticError('TOOL_MISSING', '--test needs chroot and env (coreutils) on PATH');
  const vars = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
  if (vars.length === 0) return [env, '-i', `PATH=${BUNDLE_PATH}`, chroot, root, ...spec.argv];
  const perl = await which('perl');
  if (!perl) throw new BuildStaticError('TOOL_MISSING', '--test with --preload needs perl on PATH (Debian\'s perl-base)');
  return [env, '-i', perl, '-e', CHROOT_THEN_ENV, root, `PATH=${BUNDLE_PATH}`, ...vars, '--', ...spec.argv];
}

// Runs the test; returns its stdout, or throws BUNDLE_TEST_FAILED with the command's stderr tail.
export async function runBundleTest(root: string, spec: TestSpec, signal?: AbortSignal): Promise<string> {
  if (process.getuid?.() !== 0) throw new BuildStaticError('TOOL_MISSING', '--test runs the bundle in a chroot, which needs root: run as root or drop --test');
  const argv = await chrootArgv(root, spec);
  let stdout: string;
  try {
    const r = await runStep({ argv }, { timeoutMs: 120_000, ...(spec.stdin === undefined ? {} : { input: spec.stdin }), ...(signal ? { signal } : {}) });
    stdout = r.stdout;
  } catch (e) {
    const why = e instanceof CommandError ? (e.exitCode === undefined ? e.message : `exit code ${e.exitCode}`) : (e as Error).message;
    throw new BuildStaticError('BUNDLE_TEST_FAILED', `test in the bundle failed (${why}): ${spec.argv.join(' ')} — a file is probably missing; try --dynamic or --include`, { detail: (e as CommandError).stderr?.trim() || undefined });
  }
  if (spec.stdout !== undefined && stdout.trimEnd() !== spec.stdout.trimEnd()) {
    throw new BuildStaticError('BUNDLE_TEST_FAILED', `test in the bundle printed ${JSON.stringify(stdout.trimEnd().slice(0, 200))}, expected ${JSON.stringify(spec.stdout.trimEnd().slice(0, 200))}`);
  }
  return stdout;
}

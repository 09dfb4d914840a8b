// Installing a Rust toolchain with rustup, as plan steps: planning only describes the commands
// (`--dry-run` prints them); the runner executes them once, before any cargo step, retrying
// network failures with backoff and turning a final failure into one TOOLCHAIN_MISSING line.
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { firstCargoError } from '../cargo/metadata.ts';
import { escapeCommand } from '../exec/escape.ts';
import { CommandError, runStep, type Step } from '../exec/exec.ts';
import type { RustToolchain } from './rust.ts';

/** A command that prepares the machine before the build (a toolchain install). */
export interface SetupStep extends Step {
  /** The start of the error line when it fails for good (what could not be done). */
  readonly failure: string;
  /** How to fix it, after the tool's own error (default: about rust-version). */
  readonly fix?: string;
  /** How many times to try in all (network steps: several). */
  readonly attempts: number;
  /** A regular expression over stderr: a match is final (the version does not exist), no retry. */
  readonly permanent?: string;
}

const HOSTS: Readonly<Record<string, string>> = { x64: 'x86_64-unknown-linux-gnu', arm64: 'aarch64-unknown-linux-gnu' };

// The toolchain `rustup toolchain install VERSION` will create, named before it exists so the
// plan can point cargo at it (rustup keeps toolchains in $RUSTUP_HOME/toolchains/<name>-<host>).
export function rustupToolchainFor(version: string, env: NodeJS.ProcessEnv = process.env, arch: string = process.arch): RustToolchain {
  const name = `${version}-${HOSTS[arch] ?? `${arch}-unknown-linux-gnu`}`;
  const dir = join(env.RUSTUP_HOME ?? join(homedir(), '.rustup'), 'toolchains', name);
  return {
    rustc: join(dir, 'bin', 'rustc'),
    cargo: join(dir, 'bin', 'cargo'),
    sysroot: dir,
    version,
    description: `rustc ${version} (rustup toolchain ${name}, installed by this build)`,
    origin: 'rustup toolchain install',
    rustupName: name,
  };
}

// rustup prints a Rust backtrace with its error when RUST_BACKTRACE is set; the error line is enough.
const QUIET = { RUST_BACKTRACE: '0' };

// The install as data: a minimal toolchain, then the musl std of every target the build needs.
// `fix` ends the error line when it fails for good (a rust-version or a toolchain-file pin).
export function rustupInstallSteps(version: string, triples: readonly string[], why: string, fix = 'install a rustc that satisfies it, or lower rust-version'): SetupStep[] {
  const permanent = 'nonexistent rust version|invalid toolchain name|not a valid|no release found';
  const failure = `${why}, but rustup cannot install rustc ${version}`;
  return [
    { argv: ['rustup', 'toolchain', 'install', version, '--profile', 'minimal', '--no-self-update'], env: QUIET, failure, fix, attempts: 3, permanent },
    { argv: ['rustup', 'target', 'add', '--toolchain', version, ...triples], env: QUIET, failure: `${why}, but rustup cannot add the musl std to rustc ${version}`, fix, attempts: 3, permanent },
  ];
}

export interface SetupOptions {
  readonly onLine?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Waits between attempts (tests pass a no-op). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

// Runs the setup steps in order; a failure after the last attempt (or a permanent one) throws
// TOOLCHAIN_MISSING: what was needed, and the tool's own first error line.
export async function runSetupSteps(steps: readonly SetupStep[], options: SetupOptions = {}): Promise<void> {
  const sleep = options.sleep ?? wait;
  for (const step of steps) {
    options.onLine?.(`$ ${escapeCommand(step.argv)}`);
    for (let attempt = 1; ; attempt++) {
      try {
        await runStep(step, { signal: options.signal, onStderrLine: options.onLine, onStdoutLine: options.onLine });
        break;
      } catch (error) {
        if (!(error instanceof CommandError) || options.signal?.aborted) throw error;
        const final = attempt >= step.attempts || error.notFound || (step.permanent !== undefined && new RegExp(step.permanent).test(error.stderr));
        if (!final) {
          options.onLine?.(`attempt ${attempt} of ${step.attempts} failed; retrying in ${2 ** attempt} s`);
          await sleep(2 ** attempt * 1000);
          continue;
        }
        const why = error.notFound ? `${step.argv[0]} is not installed` : (firstCargoError(error.stderr) ?? error.message);
        throw new BuildStaticError('TOOLCHAIN_MISSING', `${step.failure} (${why.replace(/\s+/g, ' ')}): ${step.fix ?? 'install a rustc that satisfies it, or lower rust-version'}`, {
          cause: error,
          ...(error.detail !== undefined ? { detail: error.detail } : {}),
        });
      }
    }
  }
}

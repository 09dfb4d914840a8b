#!/usr/bin/env node
// Builds the muslrust stand-in (a clux/muslrust look-alike from Debian packages) for linux/amd64
// and linux/arm64 and, with --registry, pushes it as one index. See README.md.
import process from 'node:process';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseFlags, ScriptError } from './run.mjs';
import { buildStandin, library } from './standin.mjs';

const USAGE = 'usage: node images/muslrust-standin/build.mjs [--registry HOST:PORT] [--tag TAG] [--platform linux/amd64,linux/arm64] [--json]';
const HELP = `${USAGE}

Makes localhost/muslrust-standin:TAG (an index of localhost/muslrust-standin:TAG-<arch>) from a
Debian bookworm root (mmdebstrap, cached under ~/.cache/build-static/standin/) with Debian's
rustc-web/cargo-web (pinned to this machine's version), gcc, the other architecture's cross gcc,
musl-dev for both, the musl std for both targets built on this machine, and musl gcc wrappers.
With --registry, pushes it to HOST:PORT/build-static/muslrust-standin:TAG (plain HTTP for 127.0.0.1).
Needs root, podman, mmdebstrap and qemu-user binfmt (./setup.sh). SOURCE_DATE_EPOCH (default 0)
fixes file times. Exit 0 ok, 1 a step failed, 2 bad arguments, 3 the machine lacks something.`;

// Shared by the muslrust-chef script: the flags this script accepts, parsed and checked.
export async function standinOptions(flags) {
  const { parsePlatforms } = await library();
  let platforms;
  try {
    platforms = parsePlatforms([flags.platform ?? 'linux/amd64,linux/arm64']);
  } catch (e) {
    throw new ScriptError(e.message, 2);
  }
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new ScriptError(`SOURCE_DATE_EPOCH must be a whole number of seconds, got "${process.env.SOURCE_DATE_EPOCH}"`, 2);
  if (flags.registry !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(flags.registry)) throw new ScriptError(`--registry must be HOST[:PORT], got "${flags.registry}"`, 2);
  const tag = flags.tag ?? 'stable';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new ScriptError(`--tag "${tag}" is not a valid image tag`, 2);
  const cacheDir = process.env.BUILD_STATIC_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'build-static');
  return { platforms, epoch, registry: flags.registry, tag, cacheDir };
}

// Progress on stderr with elapsed seconds, so stdout stays for --json.
export function progress(name) {
  const start = Date.now();
  return (line) => process.stderr.write(`${name} [${String(Math.round((Date.now() - start) / 1000)).padStart(4)}s] ${line}\n`);
}

// Turns an error into one line and the documented exit code.
export function fail(name, error) {
  process.stderr.write(`${name}: ${String(error?.message ?? error).split('\n')[0]}\n`);
  process.exit(error instanceof ScriptError ? error.exitCode : 1);
}

async function main() {
  try {
    const flags = parseFlags(process.argv.slice(2), { registry: 'value', tag: 'value', platform: 'value', json: 'bool' }, USAGE);
    if (flags.help) return void process.stdout.write(`${HELP}\n`);
    const options = await standinOptions(flags);
    const started = Date.now();
    const result = await buildStandin({ ...options, log: progress('muslrust-standin') });
    const seconds = Math.round((Date.now() - started) / 1000);
    if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, seconds }, null, 2)}\n`);
    else process.stdout.write(`${result.ref ?? result.list} (${Object.keys(result.images).join(', ')}; ${result.rustc}) in ${seconds} s\n`);
  } catch (error) {
    fail('muslrust-standin', error);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

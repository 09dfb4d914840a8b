#!/usr/bin/env node
// Builds images/muslrust-chef for linux/amd64 and linux/arm64 with podman (tools cross-compiled on
// this machine, no QEMU except one cheap check) and pushes it as one index. See README.md.
import process from 'node:process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, progress, standinOptions } from '../muslrust-standin/build.mjs';
import { parseFlags, run, ScriptError } from '../muslrust-standin/run.mjs';
import { buildStandin, library } from '../muslrust-standin/standin.mjs';

const context = fileURLToPath(new URL('.', import.meta.url));
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';
const USAGE = 'usage: node images/muslrust-chef/build.mjs [--registry HOST:PORT | --ref HOST/ORG/muslrust-chef:TAG] [--org ORG] [--tag TAG] [--base standin|IMAGE:TAG] [--cargo-chef-version V] [--platform P,…] [--json]';
const HELP = `${USAGE}

Builds <org>/muslrust-chef:<tag> (default build-static/muslrust-chef:latest) FROM a muslrust image:
--base standin (default) first builds the local stand-in (images/muslrust-standin/build.mjs) and
builds on its local index; --base IMAGE:TAG uses a real muslrust image (rustup toolchain flags). Pushes
one index with every platform to --ref, or to REGISTRY/ORG/muslrust-chef:TAG; with neither, the
index stays local (localhost/ORG/muslrust-chef:TAG). Plain HTTP for 127.0.0.1/localhost registries.
Exit 0 ok, 1 a step failed, 2 bad arguments, 3 the machine lacks something.`;
const FLAGS = { registry: 'value', ref: 'value', org: 'value', tag: 'value', base: 'value', 'cargo-chef-version': 'value', platform: 'value', json: 'bool' };

// "host:5000/a/b:tag" → ["host:5000/a/b", "tag"] (the tag is after the last ':' past the last '/').
export function splitRef(ref) {
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/')) throw new ScriptError(`"${ref}" has no tag (expected NAME:TAG)`, 2);
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

const insecure = (ref) => /^(127\.|localhost[:/])/.test(ref) ? ['--tls-verify=false'] : [];

// This machine's CA bundle, mounted read-only over the image's during RUN steps (not baked in), so
// `cargo install` reaches crates.io through TLS-intercepting proxies whose CA only the host trusts.
function hostCertificates() {
  return existsSync(HOST_CA) ? ['--volume', `${HOST_CA}:${HOST_CA}:ro`] : [];
}

// The cross environment's build args, from build-static's own static flags so they cannot drift:
// the stand-in's std is build-static's std sysroot copied into rustc's own sysroot (so no
// --sysroot flag; libunwind.a beside the rlibs); a rustup toolchain has a self-contained std.
// The mimalloc flavour adds `-L native=` the image's prepared libc.a where staticRustflags puts it.
async function crossArgs(standin) {
  const { PLATFORMS, staticRustflags } = await library();
  const args = [];
  for (const p of PLATFORMS) {
    const name = p.triple.split('-')[0].toUpperCase();
    const tc = standin
      ? { platform: p, rust: { std: 'sysroot' }, c: { unwindDir: `/usr/lib/rustlib/${p.triple}/lib` } }
      : { platform: p, rust: { std: 'prebuilt' }, c: {} };
    args.push('--build-arg', `${name}_MUSL_RUSTFLAGS=${staticRustflags(tc).join(' ')}`);
    args.push('--build-arg', `${name}_MUSL_MIMALLOC_RUSTFLAGS=${staticRustflags({ ...tc, allocatorLib: `${MIMALLOC_DIR}/${p.triple}` }).join(' ')}`);
    args.push('--build-arg', `${name}_MUSL_LINKER=${standin ? `${p.muslTriplet}-gcc` : `${p.gnuTriplet}-gcc`}`);
  }
  return args;
}

/** Where the image keeps each musl target's libc.a with mimalloc (the -L native= of its rustflags). */
export const MIMALLOC_DIR = '/usr/local/lib/build-static/mimalloc';

// The build context: this folder plus mimalloc/<triple>/libc.a for every musl target, prepared on
// this machine by build-static's own prepareMimallocLibc (the libc.a `build-static build` links,
// from Debian's musl as in the stand-in), so the image and native builds share one recipe.
async function stageContext(dir, log) {
  const { PLATFORMS, prepareMimallocLibc, muslLibcPath, prepareCToolchain } = await library();
  for (const name of ['Dockerfile', 'bin', 'verify-static']) await cp(join(context, name), join(dir, name), { recursive: true, filter: (f) => !/\/target$/.test(f) });
  for (const p of PLATFORMS) {
    log(`mimalloc ${p.triple}: preparing or reusing the libc.a with mimalloc`);
    const c = await prepareCToolchain(p, 'sysroot');
    const prepared = await prepareMimallocLibc(p, 'mimalloc', { cc: c.cc, ar: c.ar, cargo: 'cargo' }, muslLibcPath(p, '', 'sysroot'));
    await mkdir(join(dir, 'mimalloc', p.triple), { recursive: true });
    await copyFile(join(prepared, 'libc.a'), join(dir, 'mimalloc', p.triple, 'libc.a'));
  }
}

async function main() {
  const log = progress('muslrust-chef');
  const flags = parseFlags(process.argv.slice(2), FLAGS, USAGE);
  if (flags.help) return void process.stdout.write(`${HELP}\n`);
  if (flags.ref && flags.registry) throw new ScriptError('give --registry or --ref, not both', 2);
  const options = await standinOptions({ ...flags, tag: undefined });
  const org = flags.org ?? 'build-static';
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(org)) throw new ScriptError(`--org "${org}" is not a valid repository path`, 2);
  const ref = flags.ref ?? (options.registry ? `${options.registry}/${org}/muslrust-chef:${flags.tag ?? 'latest'}` : undefined);
  const [, tag] = splitRef(ref ?? `x:${flags.tag ?? 'latest'}`);
  const chefVersion = flags['cargo-chef-version'] ?? '0.1.78';
  if (!/^\d+\.\d+\.\d+$/.test(chefVersion)) throw new ScriptError(`--cargo-chef-version must be X.Y.Z, got "${chefVersion}"`, 2);

  const started = Date.now();
  let base = flags.base ?? 'standin';
  const standin = base === 'standin';
  // podman resolves each platform's instance of the local stand-in index: no need to push it first.
  if (standin) base = (await buildStandin({ ...options, registry: undefined, log })).list;
  const [baseImage, baseTag] = splitRef(base);
  const hostPlatform = `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;
  // A push builds into a list of its own (removed once pushed), so concurrent builds of one tag on
  // this machine (tests running side by side) cannot remove each other's list mid-build.
  const list = ref ? `localhost/${org}/muslrust-chef:${tag}-build-${process.pid}` : `localhost/${org}/muslrust-chef:${tag}`;
  await run(['podman', 'manifest', 'rm', list], { quiet: true }).catch(() => undefined);
  const result = { ...(ref ? {} : { list }), base, platforms: options.platforms.map((p) => p.id), cargoChef: chefVersion };
  const staged = await mkdtemp(join(tmpdir(), 'muslrust-chef-context-'));
  try {
    await stageContext(staged, log);
    log(`build ${list} for ${options.platforms.map((p) => p.id).join(', ')} FROM ${base}`);
    await run(['podman', 'build', '--platform', options.platforms.map((p) => p.id).join(','), '--manifest', list, ...insecure(base), ...hostCertificates(),
      '--build-arg', `MUSLRUST_IMAGE=${baseImage}`, '--build-arg', `MUSLRUST_TAG=${baseTag}`, '--build-arg', `BUILDPLATFORM=${hostPlatform}`,
      '--build-arg', `CARGO_CHEF_VERSION=${chefVersion}`, ...(await crossArgs(standin)),
      '--timestamp', String(options.epoch), '-f', join(staged, 'Dockerfile'), staged], { log });
    if (ref) {
      log(`push ${ref}`);
      const dir = await mkdtemp(join(tmpdir(), 'muslrust-chef-'));
      try {
        await run(['podman', 'manifest', 'push', '--all', '--quiet', ...insecure(ref), '--digestfile', join(dir, 'digest'), list, `docker://${ref}`], { quiet: true });
        result.ref = ref;
        result.digest = (await readFile(join(dir, 'digest'), 'utf8')).trim();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    if (ref) await run(['podman', 'manifest', 'rm', list], { quiet: true }).catch(() => undefined);
    await rm(staged, { recursive: true, force: true });
  }
  result.seconds = Math.round((Date.now() - started) / 1000);
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.ref ? `${result.ref}@${result.digest}` : list} (${result.platforms.join(', ')}) in ${result.seconds} s\n`);
}

await main().catch((error) => fail('muslrust-chef', error));

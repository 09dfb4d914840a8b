// `build-static bundle EXE… OUT`: its flags and help, one bundle() call, a summary or JSON.
import { bundle, type BundleOptions, type BundleResult } from '../../core/bundle/bundle.ts';
import { splitCommand } from '../../core/bundle/run-test.ts';
import { BuildStaticError } from '../../errors.ts';
import { type FlagValue, repeatedFlag, stringFlag } from '../args.ts';
import { defineCommand, OUTPUT_OPTIONS } from '../command.ts';
import type { CommandContext } from '../context.ts';
import { formatSize } from '../format.ts';
import { EXIT } from '../report.ts';

const HELP = `Usage: build-static bundle EXE… OUT [options]

For programs that cannot be linked statically (like magicpak): copies each executable, its ELF
interpreter and exactly the shared libraries the loader would load (DT_NEEDED; RPATH/RUNPATH with
$ORIGIN; LD_LIBRARY_PATH; ld.so.cache; default and multiarch dirs), with symlink chains kept, into
OUT — a root that runs in a chroot or as a FROM-scratch image. Nothing outside OUT is written.

Options:
  --include GLOB         also bundle host files matching GLOB (absolute; *, ?, [..], **)
  --exclude GLOB         leave out bundle files matching GLOB
  --mkdir PATH           create an empty directory in the bundle (e.g. /tmp)
  --install-to PATH      put the executable at PATH in the bundle (a dir ending in / for several)
  --preload LIB          LD_PRELOAD LIB in the image config and the --test run (repeatable): mimalloc
                         or mimalloc-secure (built from source for the executables' platform and
                         libc, glibc or musl, at /usr/lib/mimalloc/) or the path of a shared library
                         (bundled at that path with its libraries); the executables must be dynamic
  --nss                  add the NSS modules nsswitch.conf names (getent, DNS) and /etc/hosts etc.
  --certs                add /etc/ssl/certs/ca-certificates.crt (SSL_CERT_FILE in the image)
  --tzdata               add /usr/share/zoneinfo
  --dynamic              run the first EXE under strace and bundle every file it opened
  --dynamic-arg ARG      argument for that run (repeatable; use --dynamic-arg=-c for dashes)
  --dynamic-stdin TEXT   stdin for that run
  --test                 run a command in a chroot of OUT (root only); fails unless it exits 0
  --test-command CMD     the command line to run (default: the first EXE, no arguments)
  --test-stdin TEXT      stdin for the test
  --test-stdout TEXT     fail unless the test prints exactly TEXT (trailing space ignored)
  --compress             pack the executables with upx (needs upx on PATH, or --upx PATH)
  --upx-arg ARG          extra upx argument (repeatable)
  --image REF            also build a scratch image of OUT (Entrypoint: the first EXE) named REF
  --oci-layout DIR       … written as an OCI layout
  --tarball FILE         … written as an OCI archive
  --push                 … pushed to REF's registry
  --load                 … loaded into podman
  --insecure-registry H  allow plain HTTP for registry H
  --force                replace the contents of a non-empty OUT
  --max-size BYTES       refuse bundles larger than this (default 2 GiB)
  --json                 one JSON object on stdout
  -h, --help             show this help`;

// prettier-ignore
const OPTIONS = {
  include: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true }, mkdir: { type: 'string', multiple: true },
  'install-to': { type: 'string' }, preload: { type: 'string', multiple: true },
  nss: { type: 'boolean' }, certs: { type: 'boolean' }, tzdata: { type: 'boolean' },
  dynamic: { type: 'boolean' }, 'dynamic-arg': { type: 'string', multiple: true }, 'dynamic-stdin': { type: 'string' },
  test: { type: 'boolean' }, 'test-command': { type: 'string' }, 'test-stdin': { type: 'string' }, 'test-stdout': { type: 'string' },
  compress: { type: 'boolean' }, upx: { type: 'string' }, 'upx-arg': { type: 'string', multiple: true },
  image: { type: 'string' }, 'oci-layout': { type: 'string' }, tarball: { type: 'string' },
  push: { type: 'boolean' }, load: { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true }, force: { type: 'boolean' }, 'max-size': { type: 'string' },
  ...OUTPUT_OPTIONS,
} as const;

// One bundle() call, after the checks between flags that bundle() cannot see.
export const bundleCommand = defineCommand('bundle', HELP, {
  options: OPTIONS,
  run: async ({ values: v, positionals }, ctx) => {
    if (positionals.length < 2)
      throw new BuildStaticError('USAGE', 'bundle needs at least one executable and an output directory: build-static bundle EXE… OUT');
    const maxSize = stringFlag(v['max-size']);
    if (maxSize !== undefined && !/^\d+$/.test(maxSize))
      throw new BuildStaticError('USAGE', `--max-size must be a number of bytes, got "${maxSize}"`);
    const image = stringFlag(v.image);
    for (const flag of ['oci-layout', 'tarball', 'push', 'load'] as const)
      if (v[flag] !== undefined && !image) throw new BuildStaticError('USAGE', `--${flag} needs --image REF`);
    const result = await bundle(bundleOptionsFrom(v, positionals, image, maxSize, ctx));
    ctx.stdout(ctx.json ? JSON.stringify(result) : human(result));
    return EXIT.OK;
  },
});

// The flags as bundle()'s options (one line per group of flags, as in OPTIONS).
// prettier-ignore
function bundleOptionsFrom(
  v: Record<string, FlagValue>, positionals: string[], image: string | undefined, maxSize: string | undefined, ctx: CommandContext,
): BundleOptions {
  const testCommand = stringFlag(v['test-command']);
  return {
    executables: positionals.slice(0, -1), out: positionals.at(-1)!, force: v.force === true,
    include: repeatedFlag(v.include), exclude: repeatedFlag(v.exclude), mkdir: repeatedFlag(v.mkdir),
    installTo: stringFlag(v['install-to']), preload: repeatedFlag(v.preload),
    nss: v.nss === true, certs: v.certs === true, tzdata: v.tzdata === true,
    dynamic: v.dynamic === true, dynamicArgs: repeatedFlag(v['dynamic-arg']), dynamicStdin: stringFlag(v['dynamic-stdin']),
    test: v.test === true, testCommand: testCommand === undefined ? undefined : splitCommand(testCommand),
    testStdin: stringFlag(v['test-stdin']), testStdout: stringFlag(v['test-stdout']),
    compress: v.compress === true, upx: stringFlag(v.upx), upxArgs: repeatedFlag(v['upx-arg']),
    maxBytes: maxSize === undefined ? undefined : Number(maxSize),
    image: image
      ? { tag: image, ociLayout: stringFlag(v['oci-layout']), tarball: stringFlag(v.tarball), push: v.push === true, load: v.load === true,
          insecureRegistries: repeatedFlag(v['insecure-registry']) }
      : undefined,
    signal: ctx.signal,
  };
}

function human(r: BundleResult): string {
  const lines = [
    `bundled ${r.executables.join(', ')} → ${r.out}`,
    `  ${r.files} files, ${r.symlinks} symlinks, ${r.directories} directories, ${formatSize(r.bytes)}` +
      (r.traced ? `, ${r.traced} paths from the traced run` : ''),
    `  libraries: ${r.libraries.join(', ') || '-'}`,
  ];
  if (r.preloaded.length) lines.push(`  LD_PRELOAD=${r.preloaded.join(':')}`);
  if (r.excluded.length) lines.push(`  excluded: ${r.excluded.join(', ')}`);
  if (r.testOutput !== undefined)
    lines.push(`  test: ok${r.testOutput ? ` (${r.testOutput.trim().split('\n').length} lines of output)` : ''}`);
  if (r.image) {
    const { tag, digest, ociLayout, tarball, loaded, pushed } = r.image;
    const where =
      (ociLayout ? ` → ${ociLayout}` : '') +
      (tarball ? ` → ${tarball}` : '') +
      (loaded ? ` (${loaded})` : '') +
      (pushed ? ` pushed ${pushed}` : '');
    lines.push(`  image ${tag} ${digest}${where}`);
  }
  return lines.join('\n');
}

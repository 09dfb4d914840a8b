// The stand-in's Debian root filesystems: one per architecture, made by mmdebstrap (a debootstrap
// that takes several apt sources, which rustc-web from bookworm-security needs) as a reproducible
// tarball, cached under ~/.cache/build-static/standin/ keyed by everything that goes into it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, ScriptError } from './run.mjs';

/** Bump when the way roots are made changes, so cached tarballs are rebuilt. */
const RECIPE = 2;
const SUITE = 'bookworm';
const DPKG_OPTS = ['path-exclude=/usr/share/doc/*', 'path-exclude=/usr/share/man/*', 'path-exclude=/usr/share/locale/*', 'path-exclude=/usr/share/info/*'];

// The host's version of a Debian package; the root pins rustc-web/cargo-web to it so the std
// rlibs built on the host by the same rustc load in the root's rustc.
async function hostVersion(pkg) {
  const v = (await run(['dpkg-query', '-W', '-f=${Version}', pkg], { quiet: true }).catch(() => '')).trim();
  if (!v) throw new ScriptError(`the host has no ${pkg} (run ./setup.sh): the stand-in pins its rustc to the host's so the host-built std fits`, 3);
  return v;
}

// What goes into the root of `platform` (native) that can also cross-link for `other`.
export async function rootPackages(platform, other) {
  const dash = (t) => t.replaceAll('_', '-');
  return [
    `rustc-web=${await hostVersion('rustc-web')}`, `cargo-web=${await hostVersion('cargo-web')}`,
    'gcc', 'libc6-dev', 'musl-tools', 'musl-dev', `musl-dev:${other.debArch}`,
    `gcc-${dash(other.gnuTriplet)}`, `binutils-${dash(other.gnuTriplet)}`, 'git', 'ca-certificates',
  ];
}

// Debian entries of this machine's apt sources (deb822 text), so the root uses the same mirror
// and suites (bookworm, -updates, -security). BUILD_STATIC_DEBIAN_SOURCES names a file to use instead.
export async function debianSources(env = process.env) {
  if (env.BUILD_STATIC_DEBIAN_SOURCES) return readFile(env.BUILD_STATIC_DEBIAN_SOURCES, 'utf8');
  const files = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) for (const f of (await readdir(dir)).sort()) if (/\.(list|sources)$/.test(f)) files.push(join(dir, f));
  const stanzas = [];
  const isDebian = (uri) => /\/debian(-security)?\/?$/.test(uri);
  for (const f of files) {
    const text = await readFile(f, 'utf8');
    if (f.endsWith('.sources')) {
      for (const block of text.split(/\n\s*\n/)) {
        const lines = block.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
        const uris = lines.find((l) => /^URIs:/i.test(l));
        if (uris && /^Types:.*\bdeb\b/im.test(lines.join('\n')) && uris.split(/\s+/).slice(1).some(isDebian)) stanzas.push(lines.join('\n'));
      }
    } else {
      for (const line of text.split('\n')) {
        const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.+)$/.exec(line.trim());
        if (!m || !isDebian(m[2])) continue;
        const signed = /signed-by=(\S+)/.exec(m[1] ?? '');
        stanzas.push([`Types: deb`, `URIs: ${m[2]}`, `Suites: ${m[3]}`, `Components: ${m[4].trim()}`, ...(signed ? [`Signed-By: ${signed[1]}`] : [])].join('\n'));
      }
    }
  }
  if (stanzas.length === 0) {
    return `Types: deb\nURIs: http://deb.debian.org/debian\nSuites: ${SUITE} ${SUITE}-updates\nComponents: main\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: ${SUITE}-security\nComponents: main\n`;
  }
  return `${stanzas.join('\n\n')}\n`;
}

// Where the root tarball of `platform` is cached: keyed by everything that goes into it.
export async function rootTarball(platform, other, { cacheDir, sources }) {
  const packages = await rootPackages(platform, other);
  const key = createHash('sha256').update(JSON.stringify({ RECIPE, SUITE, DPKG_OPTS, arch: platform.debArch, packages, sources })).digest('hex').slice(0, 16);
  return { tar: join(cacheDir, 'standin', `root-${platform.debArch}-${key}.tar`), key, packages };
}

// Returns the cached root tarball for `platform`, running mmdebstrap the first time.
export async function ensureRoot(platform, other, { cacheDir, sources, epoch, log }) {
  const { tar, key, packages } = await rootTarball(platform, other, { cacheDir, sources });
  const dir = join(cacheDir, 'standin');
  if (existsSync(tar)) {
    log(`root ${platform.debArch}: cached ${tar}`);
    return { tar, key, packages };
  }
  await mkdir(dir, { recursive: true });
  const tmp = `${tar}.tmp-${process.pid}`;
  // mmdebstrap names the root's apt sources after this file: a fixed name keeps the tarball reproducible.
  const sourcesDir = await mkdtemp(join(dir, 'sources-'));
  const sourcesFile = join(sourcesDir, 'debian.sources');
  await writeFile(sourcesFile, sources);
  log(`root ${platform.debArch}: mmdebstrap ${SUITE} (${packages.length} packages${platform.debArch === hostArch() ? '' : ', maintainer scripts under qemu'}; minutes, once)`);
  const started = Date.now();
  try {
    await run([
      'mmdebstrap', '--mode=root', '--format=tar', '--variant=minbase', `--architectures=${platform.debArch},${other.debArch}`,
      ...DPKG_OPTS.map((o) => `--dpkgopt=${o}`), `--include=${packages.join(',')}`,
      '--customize-hook=rm -f "$1"/etc/resolv.conf "$1"/etc/hostname',
      SUITE, tmp, sourcesFile,
    ], { env: { SOURCE_DATE_EPOCH: String(epoch) }, log: (l) => log(`root ${platform.debArch}:${l}`) });
    await rename(tmp, tar);
  } finally {
    await rm(tmp, { force: true });
    await rm(sourcesDir, { recursive: true, force: true });
  }
  // Older roots of this architecture are dead weight (about 1 GB each).
  for (const f of await readdir(dir)) {
    if (f.startsWith(`root-${platform.debArch}-`) && f.endsWith('.tar') && join(dir, f) !== tar) await rm(join(dir, f), { force: true });
  }
  log(`root ${platform.debArch}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  return { tar, key, packages };
}

// Debian's name for this machine's architecture.
export function hostArch() {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

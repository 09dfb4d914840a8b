// Assembles the muslrust stand-in: per architecture, the cached Debian root (root.mjs) imported
// into podman, plus one layer with what Debian lacks — the musl std rlibs for BOTH targets (built
// once on the host by build-static's sysroot code; rlibs are host-independent), the compat
// libunwind.a, and the <arch>-linux-musl-gcc/-ar wrappers — then one index, optionally pushed.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianSources, ensureRoot, hostArch } from './root.mjs';
import { run, ScriptError, succeeds } from './run.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const LOCAL_NAME = 'localhost/muslrust-standin';

// build-static's compiled library (npm run build; the package entry), for the platform table,
// wrappers and std.
export async function library() {
  const url = new URL('../../scripts/dist/index.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new ScriptError(`${fileURLToPath(url)} is missing: run "npm run build" (or ./setup.sh) first`, 3);
  return import(url.href);
}

// The files of the build-static layer, staged under ctx/overlay/ for `COPY overlay/ /`.
async function stageOverlay(ctx, platforms, { log }) {
  const { ensureStdSysroot, wrapperScript, muslSpecsPath } = await library();
  const rustc = [];
  for (const p of platforms) {
    log(`std ${p.triple}: building or reusing the host-built sysroot`);
    const std = await ensureStdSysroot(p, { onLine: (l) => log(`std ${p.triple}:  ${l}`) });
    const lib = join(ctx, 'overlay', 'usr', 'lib', 'rustlib', p.triple, 'lib');
    await mkdir(lib, { recursive: true });
    for (const f of (await readdir(std.libDir)).filter((f) => f.endsWith('.rlib')).sort()) await copyFile(join(std.libDir, f), join(lib, f));
    if (!std.unwindDir) throw new ScriptError(`the sysroot for ${p.triple} came without a libunwind.a`, 3);
    await copyFile(join(std.unwindDir, 'libunwind.a'), join(lib, 'libunwind.a'));
    const bin = join(ctx, 'overlay', 'usr', 'local', 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, `${p.muslTriplet}-gcc`), wrapperScript(`${p.gnuTriplet}-gcc`, muslSpecsPath(p)), { mode: 0o755 });
    await writeFile(join(bin, `${p.muslTriplet}-ar`), `#!/bin/sh\nexec ${p.gnuTriplet}-ar "$@"\n`, { mode: 0o755 });
    rustc.push(std.rustcVersion);
  }
  return rustc[0];
}

// Imports a cached root tarball as an image, once per tarball: the image is labelled with the
// tarball's size and mtime, so a rebuilt tarball with the same key is imported again.
async function importRoot(platform, root, log) {
  const name = `${LOCAL_NAME}-root:${platform.debArch}-${root.key}`;
  const { size, mtimeMs } = await stat(root.tar);
  const stamp = `${size}-${Math.round(mtimeMs)}`;
  const label = await run(['podman', 'image', 'inspect', '--format', '{{index .Labels "dev.build-static.root-tar"}}', name], { quiet: true }).catch(() => '');
  if (label.trim() === stamp) return name;
  log(`root ${platform.debArch}: podman import`);
  await run(['podman', 'import', '--quiet', '--os', 'linux', '--arch', platform.debArch, '--change', `LABEL dev.build-static.root-tar=${stamp}`, root.tar, name], { quiet: true });
  return name;
}

// The local manifest lists, made under a lock (concurrent builds on this machine share them):
// `<tag>-<hash of the images>`, never changed once made, so a build reading it is not disturbed,
// and `<tag>`, moved to the newest images for people.
async function ensureLists(tag, images, cacheDir) {
  const digests = [];
  for (const image of images) digests.push((await run(['podman', 'image', 'inspect', '--format', '{{.Digest}}', image], { quiet: true })).trim());
  digests.sort();
  const fixed = `${LOCAL_NAME}:${tag}-${createHash('sha256').update(digests.join('\n')).digest('hex').slice(0, 12)}`;
  const latest = `${LOCAL_NAME}:${tag}`;
  const lock = join(cacheDir, 'standin', 'manifest-lists.lock');
  await mkdir(dirname(lock), { recursive: true });
  const make = 'podman manifest create "$0" >/dev/null || exit 1; for i in "$@"; do podman manifest add "$0" "containers-storage:$i" >/dev/null || exit 1; done';
  await run(['flock', lock, 'sh', '-c', `podman manifest exists "$0" && exit 0; ${make}`, fixed, ...images], { quiet: true });
  const held = await run(['podman', 'manifest', 'inspect', latest], { quiet: true }).then((t) => JSON.parse(t).manifests.map((m) => m.digest).sort(), () => []);
  if (JSON.stringify(held) !== JSON.stringify(digests)) {
    await run(['flock', lock, 'sh', '-c', `podman manifest rm "$0" >/dev/null 2>&1; ${make}`, latest, ...images], { quiet: true });
  }
  return { fixed, latest };
}

// Builds the stand-in for the given platforms; returns the local index names (`list`: fixed, for
// builds; `latest`: the tag), per-arch images and, with `registry`, the pushed reference.
export async function buildStandin({ platforms, tag = 'stable', registry, epoch = 0, cacheDir, log = () => {} }) {
  const all = (await library()).PLATFORMS;
  if (!(await succeeds(['podman', '--version']))) throw new ScriptError('podman is not installed: run ./setup.sh', 3);
  if (process.getuid?.() !== 0) throw new ScriptError('building the stand-in needs root (mmdebstrap --mode=root, rootful podman)', 3);
  const sources = await debianSources();
  const ctx = await mkdtemp(join(cacheDir, 'standin-ctx-'));
  try {
    // Roots (mmdebstrap, I/O and qemu) and std (the host's cargo) can overlap.
    const [roots, rustcVersion] = await Promise.all([
      Promise.all(platforms.map((p) => ensureRoot(p, all.find((o) => o !== p), { cacheDir, sources, epoch, log }))),
      stageOverlay(ctx, all, { log }),
    ]);
    await copyFile(join(here, 'Containerfile'), join(ctx, 'Containerfile'));
    const images = {};
    for (const [i, p] of platforms.entries()) {
      const rootImage = await importRoot(p, roots[i], log);
      const image = `${LOCAL_NAME}:${tag}-${p.debArch}`;
      log(`image ${p.id}: ${rootImage} + build-static layer → ${image}`);
      await run(['podman', 'build', '--quiet', '--pull=never', '--platform', p.id, '--timestamp', String(epoch),
        '--build-arg', `ROOT=${rootImage}`, '--label', `dev.build-static.rustc=${rustcVersion}`,
        '--label', `dev.build-static.packages=${roots[i].packages.join(' ')}`, '-t', image, '-f', join(ctx, 'Containerfile'), ctx], { quiet: true });
      images[p.id] = image;
    }
    const { fixed, latest } = await ensureLists(tag, platforms.map((p) => images[p.id]), cacheDir);
    const result = { list: fixed, latest, images, rustc: rustcVersion, host: hostArch() };
    if (registry) {
      const ref = `${registry}/build-static/muslrust-standin:${tag}`;
      log(`push ${ref}`);
      const tls = /^(127\.|localhost[:/])/.test(registry) ? ['--tls-verify=false'] : [];
      await run(['podman', 'manifest', 'push', '--all', '--quiet', ...tls, fixed, `docker://${ref}`], { quiet: true });
      result.ref = ref;
    }
    return result;
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
}

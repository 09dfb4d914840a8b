// Assembles the muslrust stand-in: per architecture, the cached Debian root (root.mjs) imported
// into podman, plus one layer with what Debian lacks — the musl std rlibs for BOTH targets (built
// once on the host by build-static's sysroot code; rlibs are host-independent), the compat
// libunwind.a, and the <arch>-linux-musl-gcc/-ar wrappers — then one index, optionally pushed.
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianSources, ensureRoot, hostArch } from './root.mjs';
import { run, ScriptError, succeeds } from './run.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const LOCAL_NAME = 'localhost/muslrust-standin';

// build-static's compiled library (npm run build), for the platform table, wrappers and std.
export async function library(path) {
  const url = new URL(`../../scripts/dist/${path}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new ScriptError(`${fileURLToPath(url)} is missing: run "npm run build" (or ./setup.sh) first`, 3);
  return import(url.href);
}

// The files of the build-static layer, staged under ctx/overlay/ for `COPY overlay/ /`.
async function stageOverlay(ctx, platforms, { log }) {
  const { ensureStdSysroot } = await library('core/toolchain/sysroot.js');
  const { wrapperScript, muslSpecsPath } = await library('core/toolchain/c-toolchain.js');
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

// Imports a cached root tarball as an image (once per tarball).
async function importRoot(platform, root, log) {
  const name = `${LOCAL_NAME}-root:${platform.debArch}-${root.key}`;
  if (await succeeds(['podman', 'image', 'exists', name])) return name;
  log(`root ${platform.debArch}: podman import`);
  await run(['podman', 'import', '--quiet', '--os', 'linux', '--arch', platform.debArch, root.tar, name], { quiet: true });
  return name;
}

// True when the local manifest list already holds exactly these images: then it is left alone, so
// a concurrent build that is reading it (FROM the stand-in) is not broken by a re-create.
async function listHolds(list, images) {
  try {
    const held = JSON.parse(await run(['podman', 'manifest', 'inspect', list], { quiet: true })).manifests.map((m) => m.digest).sort();
    const want = [];
    for (const image of images) want.push((await run(['podman', 'image', 'inspect', '--format', '{{.Digest}}', image], { quiet: true })).trim());
    return JSON.stringify(held) === JSON.stringify(want.sort());
  } catch {
    return false;
  }
}

// Builds the stand-in for the given platforms; returns the local index name, per-arch images and,
// with `registry`, the pushed reference.
export async function buildStandin({ platforms, tag = 'stable', registry, epoch = 0, cacheDir, log = () => {} }) {
  const all = (await library('core/platform.js')).PLATFORMS;
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
    const list = `${LOCAL_NAME}:${tag}`;
    if (!(await listHolds(list, Object.values(images)))) {
      await run(['podman', 'manifest', 'rm', list], { quiet: true }).catch(() => undefined);
      await run(['podman', 'manifest', 'create', list], { quiet: true });
      for (const p of platforms) await run(['podman', 'manifest', 'add', list, `containers-storage:${images[p.id]}`], { quiet: true });
    }
    const result = { list, images, rustc: rustcVersion, host: hostArch() };
    if (registry) {
      const ref = `${registry}/build-static/muslrust-standin:${tag}`;
      log(`push ${ref}`);
      const tls = /^(127\.|localhost[:/])/.test(registry) ? ['--tls-verify=false'] : [];
      await run(['podman', 'manifest', 'push', '--all', '--quiet', ...tls, list, `docker://${ref}`], { quiet: true });
      result.ref = ref;
    }
    return result;
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
}

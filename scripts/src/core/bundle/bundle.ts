// `build-static bundle`: magicpak's idea in TypeScript — the exact files an executable loads
// (interpreter, shared-library closure, optionally NSS modules, certs, zoneinfo and everything a
// traced sample run opened), written to OUT so that it runs in a chroot or FROM scratch.
import { posix } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { sourceDateEpoch } from '../image/labels.ts';
import { compressFiles, findUpx } from './compress.ts';
import { addCerts, addNss, addTzdata } from './extras.ts';
import { expandGlob, pathGlobToRegExp } from './glob.ts';
import { walkPath } from './host-path.ts';
import { readLdCache, readLdConf } from './ld-cache.ts';
import { DEFAULT_MAX_BYTES, type BundleOptions, type BundleResult } from './options.ts';
import { preloadValue, resolvePreloads } from './preload.ts';
import { readElf, resolveClosure } from './resolve.ts';
import { runBundleTest } from './run-test.ts';
import { traceRun } from './trace.ts';
import { BundleTree } from './tree.ts';
import { cleanOut, prepareOut, writeTree } from './write.ts';
import { claimOutput } from '../output-guard.ts';

export type { BundleOptions, BundleResult } from './options.ts';

function installPath(exe: string, options: BundleOptions): string | undefined {
  const to = options.installTo;
  if (to === undefined) return undefined;
  if (!to.startsWith('/')) throw new BuildStaticError('USAGE', `--install-to must be an absolute path in the bundle, got "${to}"`);
  if (to.endsWith('/')) return posix.join(to, posix.basename(exe));
  if (options.executables.length > 1) throw new BuildStaticError('USAGE', '--install-to with several executables must be a directory ending in "/"');
  return posix.normalize(to);
}

// Resolves, checks and writes the bundle; then tests, compresses and images it as asked.
export async function bundle(options: BundleOptions): Promise<BundleResult> {
  const env = options.env ?? process.env;
  if (options.executables.length === 0) throw new BuildStaticError('USAGE', 'bundle needs at least one executable and OUT: build-static bundle EXE… OUT');
  const upx = options.compress ? await findUpx(options.upx) : undefined;
  const exes: string[] = [];
  for (const exe of options.executables) {
    const walked = await walkPath(exe);
    if (walked.kind === 'dir') throw new BuildStaticError('BUNDLE_INVALID', `${exe} is a directory, not an executable: name the program file`);
    exes.push(posix.resolve(exe));
  }
  const elfs = [];
  for (const exe of exes) elfs.push({ path: exe, elf: await readElf(exe) });
  const first = elfs[0]!.elf;
  const preloads = await resolvePreloads(options.preload ?? [], elfs, env);
  const sys = {
    ldLibraryPath: (options.ldLibraryPath ?? env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d.startsWith('/')),
    cache: await readLdCache(),
    confDirs: await readLdConf(),
  };
  const tree = new BundleTree();
  const installed: string[] = [];
  for (const exe of exes) {
    const at = installPath(exe, options);
    await tree.addHostPath(exe, at);
    installed.push(at ?? exe);
  }
  const imageEnv: Record<string, string> = {};
  for (const p of preloads) await tree.addHostPath(p.source, p.built ? p.at : undefined);
  if (preloads.length > 0) imageEnv.LD_PRELOAD = preloadValue(preloads);
  const builtPreloads = preloads.filter((p) => p.built).map((p) => p.source);
  const dlopened = options.nss ? await addNss(tree) : [];
  if (options.certs) imageEnv.SSL_CERT_FILE = await addCerts(tree);
  if (options.tzdata) await addTzdata(tree);
  const roots = [...exes, ...preloads.map((p) => p.source)];
  let traced = 0;
  if (options.dynamic) {
    const run = await traceRun(exes[0]!, options.dynamicArgs ?? [], options.dynamicStdin, options.signal);
    const out = posix.resolve(options.out);
    for (const path of [...run.opened, ...run.statted]) {
      if (path === out || path.startsWith(`${out}/`)) continue;
      const walked = await walkPath(path).catch(() => undefined);
      if (!walked || walked.kind === 'other') continue;
      if (walked.kind === 'file' && exes.includes(walked.real)) continue;
      await tree.addHostPath(path);
      traced++;
      if (walked.kind === 'file' && (await readElf(path).then((e) => e.machine === first.machine && e.dynamic !== undefined, () => false))) roots.push(path);
    }
  }
  for (const pattern of options.include ?? []) for (const path of await expandGlob(pattern)) await tree.addHostPath(path);
  const closure = await resolveClosure(roots, sys, dlopened);
  for (const lib of closure.files) if (!exes.includes(lib) && !builtPreloads.includes(lib)) await tree.addHostPath(lib);
  for (const dir of options.mkdir ?? []) tree.put(dir, { type: 'dir', mode: 0o755 });
  const excludes = (options.exclude ?? []).map(pathGlobToRegExp);
  const excluded = tree.exclude((p) => excludes.some((re) => re.test(p)));
  const bytes = tree.size();
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes > max) throw new BuildStaticError('BUNDLE_INVALID', `the bundle would hold ${bytes} bytes, over the ${max}-byte cap: --exclude files or raise --max-size`);

  // OUT may never be (or hold) the cwd, $HOME or a file being bundled; --force only empties OUT.
  const sources = [...tree.nodes.values()].flatMap((n) => (n.type === 'file' ? [n.source] : []));
  await claimOutput({ path: options.out, flag: 'OUT', kind: 'dir', force: true, protect: [...new Set([...exes, ...sources])] });
  // The OCI and registry code (40 modules) loads only for --image/--push/--load.
  const imaging = options.image ? { ...(await import('./image.ts')), ...(await import('../image/outputs.ts')) } : undefined;
  if (imaging && options.image) await imaging.claimImageOutputs(options.image, { force: options.force, protect: [options.out, ...exes, ...sources] });
  const { root, created } = await prepareOut(options.out, options.force === true);
  try {
    await writeTree(root, tree);
    if (upx) await compressFiles(upx, installed.map((p) => posix.join(root, p)), options.upxArgs ?? [], options.signal);
    const testEnv = imageEnv.LD_PRELOAD ? { env: { LD_PRELOAD: imageEnv.LD_PRELOAD } } : {};
    const testOutput = options.test ? await runBundleTest(root, { argv: options.testCommand ?? [installed[0]!], ...(options.testStdin === undefined ? {} : { stdin: options.testStdin }), ...(options.testStdout === undefined ? {} : { stdout: options.testStdout }), ...testEnv }, options.signal) : undefined;
    const image = imaging && options.image ? await imaging.bundleImage(root, tree, first, { ...options.image, entrypoint: installed[0]!, env: imageEnv, epoch: sourceDateEpoch(env) }) : undefined;
    const nodes = [...tree.nodes.values()];
    return {
      out: root,
      executables: installed,
      libraries: closure.files.filter((f) => !exes.includes(f) && !builtPreloads.includes(f)),
      preloaded: preloads.map((p) => p.at),
      resolved: closure.resolved,
      files: nodes.filter((n) => n.type === 'file').length,
      symlinks: nodes.filter((n) => n.type === 'symlink').length,
      directories: nodes.filter((n) => n.type === 'dir').length,
      bytes,
      traced,
      excluded,
      ...(testOutput === undefined ? {} : { testOutput }),
      ...(image ? { image } : {}),
    };
  } catch (error) {
    if (!(error instanceof BuildStaticError && error.code === 'BUNDLE_TEST_FAILED')) await cleanOut(root, created);
    throw error;
  }
}

// Builds the allowlist example and alloc-workload in bench/allocator's four ways, then proves
// from each ELF (build-static inspect) that it is what it claims before anything is measured.
// Builds are cached per variant under <crate>/target/bench-allocator/, so reruns are quick.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VARIANTS = [
  { id: 'glibc', label: 'glibc (dynamic)', want: { allocator: 'glibc', linkage: /^dynamic$/ } },
  { id: 'musl', label: 'musl malloc', ownTarget: true, flags: ['--no-default-features', '--allocator', 'system'], want: { allocator: 'musl', linkage: /^static/ } },
  { id: 'mimalloc-crate', label: 'musl + mimalloc crate', flags: ['--allocator', 'auto'], want: { allocator: 'mimalloc', linkage: /^static/ } },
  { id: 'mimalloc-link', label: 'musl + link-time mimalloc', ownTarget: true, flags: ['--no-default-features', '--allocator', 'mimalloc'], want: { allocator: 'mimalloc', linkage: /^static/ } },
];

export const APPS = [
  { id: 'allowlist', dir: 'examples/allowlist', bin: 'allowlist' },
  { id: 'workload', dir: 'bench/allocator/workload', bin: 'alloc-workload' },
];

// Builds one app in one variant; returns the binary's path and the toolchain that built it.
function buildOne(repo, app, variant, log) {
  const appDir = join(repo, app.dir);
  const work = join(appDir, 'target', 'bench-allocator');
  const quiet = { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 };
  log(`building ${app.id} (${variant.label})`);
  if (variant.id === 'glibc') {
    const env = { ...process.env, CARGO_TARGET_DIR: join(work, 'glibc') };
    execFileSync('cargo', ['build', '--release', '--locked', '--quiet', '--no-default-features', '--manifest-path', join(appDir, 'Cargo.toml')], { ...quiet, env });
    return { path: join(work, 'glibc', 'release', app.bin), toolchain: execFileSync('rustc', ['-V'], { encoding: 'utf8' }).trim() };
  }
  // The mimalloc-crate build shares the crate's usual build-static target dir (the example's is
  // warm from its tests); the others get their own, since their flags differ.
  const env = variant.ownTarget ? { ...process.env, CARGO_TARGET_DIR: join(work, variant.id) } : process.env;
  const out = join(work, 'out', variant.id);
  const argv = [join(repo, 'scripts/dist/cli/main.js'), 'build', appDir, '--platform', 'linux/amd64', ...variant.flags, '--out', out, '--json'];
  const json = JSON.parse(execFileSync(process.execPath, argv, { ...quiet, env }));
  const output = json.outputs[0];
  return { path: join(out, output.path), toolchain: `rustc ${output.toolchain.version}, std ${output.toolchain.std}` };
}

// Every app in every variant, checked with `build-static inspect --json`; throws on a mismatch.
export function buildAll(repo, log) {
  const builds = {};
  for (const variant of VARIANTS) {
    builds[variant.id] = {};
    for (const app of APPS) builds[variant.id][app.id] = buildOne(repo, app, variant, log);
  }
  const paths = VARIANTS.flatMap((v) => APPS.map((a) => builds[v.id][a.id].path));
  const reports = JSON.parse(execFileSync(process.execPath, [join(repo, 'scripts/dist/cli/main.js'), 'inspect', ...paths, '--json'], { encoding: 'utf8' }));
  let i = 0;
  for (const variant of VARIANTS) {
    for (const app of APPS) {
      const report = reports[i++];
      const build = builds[variant.id][app.id];
      if (report.allocator !== variant.want.allocator || !variant.want.linkage.test(report.linkage) || report.machine !== 'x86_64') {
        throw new Error(`${build.path} is ${report.linkage} with ${report.allocator}'s allocator, but the ${variant.label} build must be ${variant.want.linkage.source} with ${variant.want.allocator}'s`);
      }
      Object.assign(build, { linkage: report.linkage, allocator: report.allocator, multiThreaded: report.multiThreaded, size: readFileSync(build.path).byteLength });
    }
  }
  return builds;
}

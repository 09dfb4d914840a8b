// `build-static doctor`: checks this machine can do what build-static promises, piece by piece,
// the way a build would use it (compile and link with each cross compiler, build and run a Rust
// hello for every platform), and names for every missing piece the exact command that fixes it.
// setup.sh ends with the same checks.
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { build } from '../build/build.ts';
import { runStep } from '../exec/exec.ts';
import { exists, removeQuietly, which } from '../fs.ts';
import { type Platform, hostPlatform } from '../platform.ts';
import { hostDebArch, muslSpecsPath, prepareCToolchain } from '../toolchain/c-toolchain.ts';
import { findToolchains, hasPrebuiltStd, hasRustSrc } from '../toolchain/rust.ts';
import { aptInstall, platformPackages } from './packages.ts';
import { missingLibcFiles, probeCompiler } from './probes.ts';
import { toolChecks } from './tools.ts';

export interface DoctorCheck {
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  /** A failed required check makes doctor fail; an optional one only warns. */
  readonly required: boolean;
  readonly detail: string;
  /** The exact command (or step) that fixes a failed check. */
  readonly fix?: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: readonly DoctorCheck[];
}

export interface DoctorOptions {
  readonly dir: string;
  readonly platforms: readonly Platform[];
  /** Skip building and running the Rust hello (seconds instead of a build). */
  readonly quick?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly onCheck?: (check: DoctorCheck) => void;
}

// Runs every check in order and returns them all (it never stops at the first failure, so one
// run lists everything that is missing).
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => {
    checks.push(check);
    options.onCheck?.(check);
    return check.ok;
  };
  const major = Number(/^v?(\d+)/.exec(process.versions.node ?? process.version)?.[1] ?? 0);
  add({ id: 'node', title: 'Node.js >= 20', ok: major >= 20, required: true, detail: `node ${process.versions.node}`, fix: 'install Node.js 20 or newer' });

  const toolchains = await findToolchains(options.dir, env);
  const rustOk = add({
    id: 'rust', title: 'Rust toolchain', ok: toolchains.length > 0, required: true,
    detail: toolchains.map((t) => `${t.description} (${t.origin})`).join('; ') || 'no rustc on PATH or in /usr/bin',
    fix: `./setup.sh (installs rustup's stable toolchain), or ${aptInstall(['rustc-web', 'cargo-web', 'rust-web-src'])}`,
  });
  for (const platform of options.platforms) {
    const pkgs = platformPackages(platform, hostDebArch());
    const at = `[${platform.id}]`;
    if (rustOk) {
      let std = 'none';
      for (const tc of toolchains) {
        if (await hasPrebuiltStd(tc, platform.triple)) { std = `prebuilt in ${tc.description}`; break; }
      }
      if (std === 'none') for (const tc of toolchains) if (await hasRustSrc(tc)) { std = `built once from the rust-src of ${tc.description}`; break; }
      add({
        id: `std:${platform.arch}`, title: `${at} Rust std for ${platform.triple}`, ok: std !== 'none', required: true, detail: std,
        fix: `rustup target add ${platform.triple}`,
      });
    }
    const gcc = await which(`${platform.gnuTriplet}-gcc`, env);
    const ar = await which(`${platform.gnuTriplet}-ar`, env);
    add({ id: `gcc:${platform.arch}`, title: `${at} C compiler ${platform.gnuTriplet}-gcc`, ok: !!gcc, required: true, detail: gcc ?? 'not on PATH', fix: aptInstall([pkgs.gcc]) });
    add({ id: `ar:${platform.arch}`, title: `${at} archiver ${platform.gnuTriplet}-ar`, ok: !!ar, required: true, detail: ar ?? 'not on PATH', fix: aptInstall([pkgs.binutils]) });
    if (gcc) {
      const glibc = await probeCompiler(gcc, platform, [], false, options.signal);
      add({
        id: `libc-dev:${platform.arch}`, title: `${at} ${platform.gnuTriplet}-gcc compiles and links C`, ok: glibc.ok, required: true, detail: glibc.detail,
        fix: glibc.stderr && !missingLibcFiles(glibc.stderr) ? `reinstall the compiler: ${aptInstall([pkgs.gcc, pkgs.libcDev])}` : aptInstall([pkgs.libcDev]),
      });
    }
    const specs = muslSpecsPath(platform);
    const specsOk = add({ id: `musl:${platform.arch}`, title: `${at} musl for ${platform.muslTriplet}`, ok: await exists(specs), required: true, detail: specs, fix: aptInstall([pkgs.muslDev]) });
    if (gcc && ar && specsOk) {
      const c = await prepareCToolchain(platform, 'prebuilt', env);
      const musl = await probeCompiler(c.cc, platform, ['-static'], true, options.signal);
      add({ id: `musl-cc:${platform.arch}`, title: `${at} static C with musl (what -sys crates use)`, ok: musl.ok, required: true, detail: musl.detail, fix: aptInstall([pkgs.muslDev, pkgs.gcc]) });
    }
    if (pkgs.qemu) {
      const qemu = await which(platform.qemu, env);
      add({ id: `qemu:${platform.arch}`, title: `${at} ${platform.qemu} (runs ${platform.arch} programs here; tests, examples)`, ok: !!qemu, required: false, detail: qemu ?? 'not on PATH', fix: aptInstall([pkgs.qemu]) });
    }
  }
  for (const check of await toolChecks(env)) add(check);
  if (!options.quick && checks.every((c) => c.ok || !c.required)) {
    for (const check of await rustHello(options, env)) add(check);
  }
  return { ok: checks.every((c) => c.ok || !c.required), checks };
}

const HELLO_TOML = `[package]\nname = "doctor-hello"\nversion = "0.1.0"\nedition = "2021"\n\n[profile.release]\nopt-level = 1\n`;
const HELLO_LOCK = `# This file is automatically @generated by Cargo.\nversion = 3\n\n[[package]]\nname = "doctor-hello"\nversion = "0.1.0"\n`;

// Builds a Rust hello with build-static itself for every platform (the real path: toolchain,
// std, musl linker, ELF verification), then runs it (under qemu for another architecture).
async function rustHello(options: DoctorOptions, env: NodeJS.ProcessEnv): Promise<DoctorCheck[]> {
  const dir = await mkdtemp(join(tmpdir(), 'build-static-doctor-'));
  const checks: DoctorCheck[] = [];
  try {
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'Cargo.toml'), HELLO_TOML);
    await writeFile(join(dir, 'Cargo.lock'), HELLO_LOCK);
    await writeFile(join(dir, 'src', 'main.rs'), 'fn main() { println!("hello from build-static doctor"); }\n');
    const hostEnv = { ...env, CARGO_TARGET_DIR: join(dir, 'target') };
    for (const platform of options.platforms) {
      const title = `[${platform.id}] Rust hello builds static and runs`;
      try {
        const result = await build({ dir, platforms: [platform.id], out: join(dir, `out-${platform.slug}`), env: hostEnv, signal: options.signal });
        const output = result.manifest?.outputs[0];
        if (!output) throw new Error('no output');
        const exe = join(result.out, output.path);
        const native = hostPlatform()?.id === platform.id;
        const qemu = native ? undefined : await which(platform.qemu, env);
        let ran = 'not run (no qemu)';
        if (native || qemu) {
          const { stdout } = await runStep({ argv: qemu ? [qemu, exe] : [exe] }, { timeoutMs: 60_000, signal: options.signal });
          ran = stdout.includes('hello from build-static doctor') ? 'ran' : `printed ${JSON.stringify(stdout.slice(0, 60))}`;
        }
        checks.push({ id: `hello:${platform.arch}`, title, ok: !ran.startsWith('printed'), required: true, detail: `${output.linkage}, ${output.allocator}, std ${output.toolchain.std}; ${ran}` });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const message = (error as Error).message.split('\n')[0] ?? String(error);
        checks.push({ id: `hello:${platform.arch}`, title, ok: false, required: true, detail: message, fix: 'fix the failed checks above, or run ./setup.sh' });
      }
    }
  } finally {
    await removeQuietly(dir);
  }
  return checks;
}

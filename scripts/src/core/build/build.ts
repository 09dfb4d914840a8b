// `build-static build`: resolve → plan → run → verify → write. The one library call behind the
// CLI command; it never prints or exits, it reports events and returns (or throws) data.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import type { ConfigLayer } from '../config.ts';
import type { AllocatorDecision } from './allocator.ts';
import type { BuildEvent, BuildListener } from './events.ts';
import { claimOutput } from '../output-guard.ts';
import { type BuildManifest, type OutputRecord, isBuildOutput, outputPath, writeOutDir } from './output.ts';
import { type BuildPlan, type PlanInput, planBuild } from './plan.ts';
import { installPending, resolveBuild } from './resolve.ts';
import { type BuiltExecutable, runPlan } from './run.ts';
import { platformMetadata, platformSboms, sbomPaths } from '../sbom/sbom.ts';
import { prepareAuditable, withAuditable } from '../sbom/embed.ts';
import { checkAllocator, type VerifiedExecutable, verifyExecutable } from './verify.ts';

export interface BuildOptions extends ConfigLayer {
  readonly dir: string;
  /** Output directory; defaults to <target dir>/build-static/out. */
  readonly out?: string;
  /** Replace an existing --out that is not an earlier build's output. */
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly concurrency?: number;
  readonly onEvent?: BuildListener;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Embed the dependency list in each binary (cargo-auditable's `.dep-v0` section). */
  readonly auditable?: boolean;
}

export interface BuildResult {
  readonly input: PlanInput;
  readonly plan: BuildPlan;
  readonly out: string;
  readonly dryRun: boolean;
  readonly manifest?: BuildManifest;
  readonly warnings: readonly string[];
}

// The decision resolve made for a package (every selected binary's package has one).
function allocatorOf(input: PlanInput, pkg: string): AllocatorDecision {
  const decision = input.allocators?.[pkg];
  if (!decision) throw new BuildStaticError('BUILD_FAILED', `no allocator decision for package ${pkg}`);
  return decision;
}

interface Checked {
  readonly bytes: Uint8Array;
  readonly verified: VerifiedExecutable;
}

// Reads one built executable and proves it static, for its platform's machine, by its ELF.
async function checkExecutable(exe: BuiltExecutable): Promise<Checked> {
  const bytes = new Uint8Array(await readFile(exe.path));
  return { bytes, verified: verifyExecutable(bytes, exe.platform, exe.bin) };
}

// Builds, verifies and writes every binary for every platform; with dryRun, only plans.
export async function build(options: BuildOptions): Promise<BuildResult> {
  const emit = options.onEvent ?? (() => undefined);
  const env = options.env ?? process.env;
  const first = await resolveBuild(options.dir, options, env);
  const out = await claimOutput({
    path: options.out ?? join(first.targetDirectory, 'build-static', 'out'),
    flag: '--out',
    kind: 'dir',
    force: options.force === true,
    protect: [first.projectDir, first.manifestPath, resolve(first.projectDir, 'Cargo.lock'), first.targetDirectory],
    isOwn: isBuildOutput,
    ownMarker: 'no build-static.json from an earlier build',
  });
  const resolved = await installPending(first, () => resolveBuild(options.dir, options, env), {
    dryRun: options.dryRun,
    onLine: (line) => emit({ type: 'setup', line }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const input = options.auditable ? withAuditable(resolved) : resolved;
  const plan = planBuild(input);
  for (const tc of input.toolchains) {
    emit({ type: 'toolchain', platform: tc.platform, std: tc.rust.std, rustc: tc.rust.toolchain.description, notes: tc.rust.notes, ...(tc.rust.reason ? { reason: tc.rust.reason } : {}) });
  }
  if (options.dryRun) return { input, plan, out, dryRun: true, warnings: [] };

  if (options.auditable) await prepareAuditable(input);
  // The SBOMs' cargo metadata runs while cargo compiles, from cargo's first line on: started with
  // cargo, it held the package-cache lock cargo was waiting for. A failure surfaces after the build.
  let cargoSpoke!: () => void;
  const spoke = new Promise<void>((resolve) => (cargoSpoke = resolve));
  const metadata = input.toolchains.map((tc) => spoke.then(() => platformMetadata(input, tc)));
  for (const m of metadata) m.catch(() => undefined);
  const onEvent = (event: BuildEvent) => {
    if (event.type === 'cargo') cargoSpoke();
    emit(event);
  };
  // Each executable is read and verified as soon as cargo has linked it, while the other
  // platform's cargo work goes on (0.1 s of ELF scanning per binary, off the end of the build).
  const checks = new Map<string, Promise<Checked>>();
  const onExecutable = (exe: BuiltExecutable) => {
    const check = checkExecutable(exe);
    check.catch(() => undefined);
    checks.set(exe.path, check);
  };
  const built = await runPlan(plan, { concurrency: options.concurrency, onEvent, signal: options.signal, onExecutable });
  cargoSpoke();
  const files = new Map<string, Uint8Array>();
  const outputs: OutputRecord[] = [];
  const warnings: string[] = [];
  const sboms: Array<Promise<Map<string, Uint8Array>>> = [];
  for (const [i, tc] of input.toolchains.entries()) {
    for (const bin of input.binaries) {
      const exe = built.find((b) => b.platform === tc.platform && b.bin === bin.name);
      if (!exe) throw new BuildStaticError('BUILD_FAILED', `cargo reported no executable for ${bin.name} on ${tc.platform.id}`);
      const { bytes, verified } = await (checks.get(exe.path) ?? checkExecutable(exe));
      const decision = allocatorOf(input, bin.package);
      for (const message of checkAllocator(verified, decision)) {
        warnings.push(message);
        emit({ type: 'warning', platform: tc.platform, message });
      }
      files.set(outputPath(verified), bytes);
      outputs.push({
        platform: tc.platform.id,
        target: tc.platform.triple,
        bin: bin.name,
        package: bin.package,
        path: outputPath(verified),
        sha256: verified.sha256,
        size: verified.size,
        linkage: verified.linkage,
        allocator: verified.allocator,
        allocatorReason: decision.reason,
        ...(decision.crate ? { allocatorCrate: decision.crate } : {}),
        multiThreaded: verified.multiThreaded,
        toolchain: { rustc: tc.rust.toolchain.rustc, version: tc.rust.toolchain.version, std: tc.rust.std, notes: tc.rust.notes, ...(tc.rust.reason ? { reason: tc.rust.reason } : {}) },
        sbom: sbomPaths(outputPath(verified)),
      });
    }
    const mine = outputs.filter((o) => o.platform === tc.platform.id);
    const versions = new Map(input.binaries.map((b) => [b.name, b.version ?? '0.0.0']));
    sboms.push(platformSboms(input, tc, mine.map((o) => ({ ...o, version: versions.get(o.bin) ?? '0.0.0' })), metadata[i]!));
  }
  for (const platformFiles of await Promise.all(sboms)) for (const [path, bytes] of platformFiles) files.set(path, bytes);
  const manifest: BuildManifest = { schemaVersion: 1, profile: input.config.profile, features: input.config.features, outputs };
  await writeOutDir(out, files, manifest);
  return { input, plan, out, dryRun: false, manifest, warnings };
}

// `matrix DIR`: builds the project's binary in each variant for each architecture. The static
// musl variants are build-static's own `build` (each in its own CARGO_TARGET_DIR); glibc and
// dynamic musl are the cargo steps variants.ts plans. A variant that cannot be built here becomes
// a row whose cells say why ("not built here: …"), never a missing row.
import { join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { build } from '../build/build.ts';
import { selectBinaries } from '../cargo/binaries.ts';
import { readCargoMetadata, requireCargoProject } from '../cargo/metadata.ts';
import { CommandError, runStep, type Step } from '../exec/exec.ts';
import { exists } from '../fs.ts';
import type { MatrixArch } from './bases.ts';
import { ensureLibgccShim, libgccShimDir, libgccShimStep } from './libgcc-shim.ts';
import type { MatrixBuild } from './matrix.ts';
import { BUILD_VARIANTS, planCargoVariant, TRIPLES, variantTargetDir, type BuildVariant, type CargoVariantInput } from './variants.ts';

export interface VariantBuildOptions {
  readonly dir: string;
  readonly archs: readonly MatrixArch[];
  readonly variants?: readonly BuildVariant[];
  readonly bin?: string;
  readonly features?: readonly string[];
  readonly noDefaultFeatures?: boolean;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** One line per variant started or failed (the CLI shows them on stderr). */
  readonly onLine?: (line: string) => void;
}

export interface PlannedStep {
  readonly variant: string;
  /** The architectures this command builds (one cargo may build several). */
  readonly archs: readonly MatrixArch[];
  readonly step: Step;
}

export interface VariantBuilds {
  readonly builds: MatrixBuild[];
  /** Every command, in order (with dryRun nothing ran). */
  readonly steps: PlannedStep[];
}

const reasonOf = (e: unknown) => (e instanceof CommandError ? `${e.message.split('\n')[0]}${e.detail ? `: ${e.detail.split('\n').slice(-3).join(' | ')}` : ''}` : e instanceof Error ? e.message.split('\n')[0]! : String(e));

// Builds (or with dryRun, plans) every variant for every architecture.
export async function buildVariants(options: VariantBuildOptions): Promise<VariantBuilds> {
  const dir = await requireCargoProject(options.dir);
  const meta = await readCargoMetadata(dir, 'cargo');
  const bins = selectBinaries(meta, dir, options.bin);
  if (bins.length !== 1) throw new BuildStaticError('USAGE', `matrix builds one binary and ${dir} has ${bins.length} (${bins.map((b) => b.name).join(', ')}): pass --bin NAME`);
  const bin = bins[0]!;
  const matrixDir = join(meta.target_directory, 'build-static', 'matrix');
  const input: CargoVariantInput = { projectDir: dir, manifestPath: bin.manifestPath, matrixDir, bin: bin.name, features: options.features ?? [], noDefaultFeatures: options.noDefaultFeatures === true };
  const out: VariantBuilds = { builds: [], steps: [] };
  for (const variant of options.variants ?? BUILD_VARIANTS) {
    if (variant.via === 'build-static') await viaBuildStatic(variant, input, options, out);
    else for (const arch of options.archs) await viaCargo(variant, arch, input, options, out);
  }
  return out;
}

async function viaBuildStatic(variant: BuildVariant, input: CargoVariantInput, options: VariantBuildOptions, out: VariantBuilds): Promise<void> {
  const env = { ...process.env, CARGO_TARGET_DIR: variantTargetDir(input.matrixDir, variant.id), ...(variant.rustflags ? { RUSTFLAGS: variant.rustflags } : {}) };
  options.onLine?.(`matrix: ${options.dryRun ? 'planning' : 'building'} ${variant.id} (${options.archs.join(', ')}) with build-static`);
  try {
    const result = await build({
      dir: input.projectDir,
      platforms: options.archs.map((a) => `linux/${a}`),
      bin: input.bin,
      features: input.features,
      noDefaultFeatures: input.noDefaultFeatures,
      ...(variant.allocator ? { allocator: variant.allocator } : {}),
      env,
      dryRun: options.dryRun === true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const s of result.plan.steps) out.steps.push({ variant: variant.id, archs: s.platforms.map((p) => p.arch as MatrixArch), step: { argv: s.argv, env: s.env, ...(s.cwd ? { cwd: s.cwd } : {}) } });
    if (options.dryRun) return;
    for (const arch of options.archs) {
      const o = result.manifest!.outputs.find((x) => x.platform === `linux/${arch}`);
      out.builds.push(o ? { name: variant.label, arch, path: join(result.out, o.path) } : { name: variant.label, arch, notBuilt: `build-static wrote no ${arch} output` });
    }
  } catch (e) {
    if (options.signal?.aborted) throw e;
    options.onLine?.(`matrix: ${variant.id} not built: ${reasonOf(e)}`);
    for (const arch of options.archs) out.builds.push({ name: variant.label, arch, notBuilt: reasonOf(e) });
  }
}

async function viaCargo(variant: BuildVariant, arch: MatrixArch, input: CargoVariantInput, options: VariantBuildOptions, out: VariantBuilds): Promise<void> {
  const id = variant.id as 'glibc' | 'musl-dynamic';
  const steps: Step[] = [{ argv: ['rustup', 'target', 'add', TRIPLES[id][arch]] }];
  try {
    if (id === 'musl-dynamic') {
      if (options.dryRun) steps.unshift(await libgccShimStep(arch));
      else await ensureLibgccShim(arch, options.signal);
    }
    const cargo = planCargoVariant({ ...input, ...(id === 'musl-dynamic' ? { libgccDir: libgccShimDir(arch) } : {}) }, id, arch);
    steps.push(cargo);
    for (const step of steps) out.steps.push({ variant: id, archs: [arch], step });
    if (options.dryRun) return;
    options.onLine?.(`matrix: building ${id} for ${arch} with cargo`);
    for (const step of steps) await runStep(step, options.signal ? { signal: options.signal } : {});
    if (!(await exists(cargo.exe))) throw new BuildStaticError('BUILD_FAILED', `cargo left no executable at ${cargo.exe}`);
    out.builds.push({ name: variant.label, arch, path: cargo.exe });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    options.onLine?.(`matrix: ${id} for ${arch} not built: ${reasonOf(e)}`);
    out.builds.push({ name: variant.label, arch, notBuilt: reasonOf(e) });
  }
}

// `build --auditable`: before cargo runs, one object per platform holding the dependency list
// (cargo-auditable's `.dep-v0` format) for that target, compiled by the target's musl C compiler
// from generated assembly. The object's path is fixed per target dir, so rustflags stay the same
// from build to build and cargo rebuilds nothing for it; only turning the flag on or off does.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { selectedFeatures, type PlanInput, type PlatformToolchain } from '../build/plan.ts';
import { runStep } from '../exec/exec.ts';
import { auditableAssembly, auditableJson } from './auditable.ts';
import { resolvedMetadata } from './collect.ts';
import { crateGraph } from './graph.ts';

// Where a platform's object lives (inside the platform's own cargo target dir).
export function auditableObjectPath(input: Pick<PlanInput, 'targetDirectory'>, tc: PlatformToolchain): string {
  return join(input.targetDirectory, 'build-static', tc.platform.slug, 'auditable', 'dep-v0.o');
}

// The toolchains with their object paths set (planning only: nothing is written).
export function withAuditable(input: PlanInput): PlanInput {
  const packages = new Set(input.binaries.map((b) => b.package));
  if (packages.size > 1) throw new BuildStaticError('USAGE', `--auditable embeds one package's dependency list, but the binaries come from ${[...packages].join(', ')}: build them one at a time with --bin`);
  return { ...input, toolchains: input.toolchains.map((tc) => ({ ...tc, auditableObject: auditableObjectPath(input, tc) })) };
}

// Writes and compiles each platform's object (before cargo links anything).
export async function prepareAuditable(input: PlanInput): Promise<void> {
  const name = input.binaries[0]?.package;
  for (const tc of input.toolchains) {
    if (!tc.auditableObject || !name) continue;
    const meta = await resolvedMetadata({
      cargo: tc.rust.toolchain.cargo, manifestPath: input.manifestPath, cwd: input.projectDir, triple: tc.platform.triple,
      features: selectedFeatures(input), noDefaultFeatures: input.config.noDefaultFeatures, locked: input.lockfile,
    }, { RUSTC: tc.rust.toolchain.rustc });
    const root = meta.packages.find((p) => p.name === name && !p.source) ?? meta.packages.find((p) => p.name === name);
    if (!root) throw new BuildStaticError('CARGO_METADATA_FAILED', `cargo metadata does not list the package ${name}`);
    const dir = join(tc.auditableObject, '..');
    await mkdir(dir, { recursive: true });
    const asm = join(dir, 'dep-v0.s');
    await writeFile(asm, auditableAssembly(auditableJson(crateGraph(meta, root.id))));
    try {
      await runStep({ argv: [tc.c.cc, '-c', asm, '-o', tc.auditableObject], cwd: dir });
    } catch (error) {
      throw new BuildStaticError('LINKER_MISSING', `cannot assemble the --auditable object for ${tc.platform.id} with ${tc.c.cc}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
  }
}

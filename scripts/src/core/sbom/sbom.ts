// One platform's SBOMs: for every binary built, `<bin>.spdx.json` and `<bin>.cdx.json` next to
// it in OUT, from the target-filtered resolve graph. Called by `build` after verification, so the
// documents carry the sha256 and the allocator of the very bytes that are written.
import { BuildStaticError } from '../../errors.ts';
import type { PlanInput, PlatformToolchain } from '../build/plan.ts';
import { selectedFeatures } from '../build/plan.ts';
import { sourceDateEpoch } from '../image/labels.ts';
import { linkedComponents, metadataArgv, readChecksums, resolvedMetadata } from './collect.ts';
import { renderCycloneDx } from './cyclonedx.ts';
import { crateGraph, type ResolvedMetadata } from './graph.ts';
import type { SbomInput } from './inputs.ts';
import { renderSpdx } from './spdx.ts';

export const TOOL = { name: 'build-static', version: '0.1.0' } as const;

export interface BuiltBinary {
  readonly bin: string;
  readonly package: string;
  readonly version: string;
  readonly sha256: string;
  readonly allocator: string;
  /** OUT-relative path of the executable (`linux-arm64/app`). */
  readonly path: string;
}

export interface SbomFiles {
  readonly spdx: string;
  readonly cyclonedx: string;
}

// The OUT-relative SBOM paths of an executable.
export function sbomPaths(exePath: string): SbomFiles {
  return { spdx: `${exePath}.spdx.json`, cyclonedx: `${exePath}.cdx.json` };
}

// The platform's resolved graph from cargo. `build` starts it before cargo compiles (it needs
// only the plan), so the SBOM costs no wall time after the build.
export function platformMetadata(input: PlanInput, tc: PlatformToolchain): Promise<ResolvedMetadata> {
  const query = {
    cargo: tc.rust.toolchain.cargo,
    manifestPath: input.manifestPath,
    cwd: input.projectDir,
    triple: tc.platform.triple,
    features: selectedFeatures(input),
    noDefaultFeatures: input.config.noDefaultFeatures,
    locked: input.lockfile,
  };
  const rustc = tc.rust.toolchain.rustc;
  const argv = metadataArgv(query).join('\0');
  // The rust-version scan may have asked cargo exactly this already (same argv, same RUSTC).
  const scanned = input.scannedMetadata?.find((s) => s.rustc === rustc && s.argv.join('\0') === argv);
  return scanned ? Promise.resolve(scanned.meta) : resolvedMetadata(query, { RUSTC: rustc });
}

// Renders both documents for each binary of one platform from its `platformMetadata`; returns
// OUT-relative path → bytes.
export async function platformSboms(
  input: PlanInput,
  tc: PlatformToolchain,
  binaries: readonly BuiltBinary[],
  metadata: Promise<ResolvedMetadata>,
): Promise<Map<string, Uint8Array>> {
  const meta = await metadata;
  const checksums = await readChecksums(meta.workspace_root);
  const epoch = sourceDateEpoch(input.env);
  const files = new Map<string, Uint8Array>();
  for (const b of binaries) {
    const root = rootPackageId(meta, b.package);
    const graph = crateGraph(meta, root);
    const sbom: SbomInput = {
      bin: b.bin,
      version: b.version,
      platform: tc.platform.id,
      triple: tc.platform.triple,
      sha256: b.sha256,
      graph,
      checksums,
      rustc: { version: tc.rust.toolchain.version, description: tc.rust.toolchain.description },
      linked: await linkedComponents(tc, graph, b.allocator, input.env as NodeJS.ProcessEnv),
      epoch,
      tool: TOOL,
    };
    const paths = sbomPaths(b.path);
    files.set(paths.spdx, renderSpdx(sbom));
    files.set(paths.cyclonedx, renderCycloneDx(sbom));
  }
  return files;
}

function rootPackageId(meta: ResolvedMetadata, name: string): string {
  const found = meta.packages.filter((p) => p.name === name && !p.source);
  const local = found[0] ?? meta.packages.find((p) => p.name === name);
  if (!local) throw new BuildStaticError('CARGO_METADATA_FAILED', `cargo metadata for the SBOM does not list the package ${name}: run cargo metadata in the project to see why`);
  return local.id;
}

// Which binaries a build produces: the package in DIR (or the workspace's default members),
// narrowed by --bin. Errors name the binaries that do exist.
import { dirname, join, resolve } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { type CargoMetadata, type CargoPackage, workspacePackages } from './metadata.ts';

export interface BinaryTarget {
  readonly package: string;
  readonly name: string;
  readonly manifestPath: string;
  readonly requiredFeatures: readonly string[];
  /** The owning package's version, repository and description (image labels). */
  readonly version?: string;
  readonly repository?: string;
  readonly description?: string;
}

// The packages a plain `cargo build` in DIR would build.
export function selectedPackages(meta: CargoMetadata, dir: string): CargoPackage[] {
  const members = workspacePackages(meta);
  const here = members.find((p) => resolve(p.manifest_path) === join(resolve(dir), 'Cargo.toml'));
  if (here) return [here];
  const defaults = meta.workspace_default_members;
  return defaults && defaults.length > 0 ? members.filter((p) => defaults.includes(p.id)) : members;
}

function binsOf(pkgs: readonly CargoPackage[]): BinaryTarget[] {
  return pkgs.flatMap((p) =>
    p.targets
      .filter((t) => t.kind.includes('bin'))
      .map((t) => ({
        package: p.name,
        name: t.name,
        manifestPath: p.manifest_path,
        requiredFeatures: t['required-features'] ?? [],
        version: p.version,
        ...(p.repository ? { repository: p.repository } : {}),
        ...(p.description ? { description: p.description } : {}),
      })),
  );
}

// Resolves the binaries to build; throws NO_BINARY_TARGET or UNKNOWN_BIN with the alternatives.
export function selectBinaries(meta: CargoMetadata, dir: string, bin?: string): BinaryTarget[] {
  const selected = binsOf(selectedPackages(meta, dir));
  const everywhere = binsOf(workspacePackages(meta));
  if (meta.workspace_members.length === 0) {
    throw new BuildStaticError('NO_BINARY_TARGET', `the workspace in ${meta.workspace_root} has no members: list your crates in [workspace] members = ["app"] of its Cargo.toml`);
  }
  if (everywhere.length === 0) {
    throw new BuildStaticError(
      'NO_BINARY_TARGET',
      `no binary target in ${dirname(join(resolve(dir), 'Cargo.toml'))}: it only has libraries; add src/main.rs or a [[bin]] section to Cargo.toml`,
    );
  }
  if (bin === undefined) {
    if (selected.length === 0) {
      throw new BuildStaticError('NO_BINARY_TARGET', `the selected package has no binary target: pass --bin with one of ${names(everywhere)}`);
    }
    return selected;
  }
  const match = selected.find((b) => b.name === bin) ?? everywhere.find((b) => b.name === bin);
  if (!match) throw new BuildStaticError('UNKNOWN_BIN', `no binary named "${bin}": available binaries are ${names(everywhere)}`);
  return [match];
}

function names(bins: readonly BinaryTarget[]): string {
  return bins.map((b) => b.name).join(', ');
}

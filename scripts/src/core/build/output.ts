// Writes the build's results: OUT/<os>-<arch>/<bin> and OUT/build-static.json. Everything goes to
// a temporary sibling first and is renamed into place only when complete, so a failed build never
// leaves a partial OUT (a previous complete OUT stays as it was).
import { chmod, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { exists, removeQuietly } from '../fs.ts';
import { readJsonQuietly } from '../output-guard.ts';
import type { AllocatorReason } from './allocator.ts';
import type { VerifiedExecutable } from './verify.ts';

export interface OutputRecord {
  readonly platform: string;
  readonly target: string;
  readonly bin: string;
  readonly package: string;
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly linkage: string;
  readonly allocator: string;
  /** Why: build-static's default (mimalloc), the crate's own #[global_allocator], or requested. */
  readonly allocatorReason: AllocatorReason;
  /** The crate's allocator crate, when allocatorReason is `crate`. */
  readonly allocatorCrate?: string;
  /** null: the bytes cannot tell (see elf/threading.ts). */
  readonly multiThreaded: boolean | null;
  readonly toolchain: { readonly rustc: string; readonly version: string; readonly std: string; readonly notes: readonly string[]; readonly reason?: string };
  /** OUT-relative paths of the SBOMs of this executable (SPDX 2.3 and CycloneDX 1.5 JSON). */
  readonly sbom?: { readonly spdx: string; readonly cyclonedx: string };
}

export interface BuildManifest {
  readonly schemaVersion: 1;
  readonly profile: string;
  readonly features: readonly string[];
  readonly outputs: readonly OutputRecord[];
}

// The path of one executable inside OUT.
export function outputPath(exe: VerifiedExecutable): string {
  return join(exe.platform.slug, exe.bin);
}

// True when `dir` is an earlier build's OUT: a build-static.json with schemaVersion 1 and an
// outputs list, and nothing but that file and <os>-<arch> directories (so --out may replace it).
export async function isBuildOutput(dir: string): Promise<boolean> {
  const manifest = (await readJsonQuietly(join(dir, 'build-static.json'))) as Partial<BuildManifest> | undefined;
  if (manifest?.schemaVersion !== 1 || !Array.isArray(manifest.outputs)) return false;
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.every((e) => e.name === 'build-static.json' || (e.isDirectory() && /^[a-z0-9]+-[a-z0-9]+$/.test(e.name)));
}

// Writes all files to OUT atomically (temp dir + rename); `files` maps OUT-relative paths to bytes.
export async function writeOutDir(out: string, files: ReadonlyMap<string, Uint8Array>, manifest: BuildManifest): Promise<void> {
  const parent = dirname(out);
  const tmp = join(parent, `.${basename(out)}.tmp-${process.pid}`);
  const old = join(parent, `.${basename(out)}.old-${process.pid}`);
  try {
    await mkdir(parent, { recursive: true });
    await removeQuietly(tmp);
    await mkdir(tmp);
    for (const [rel, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      await mkdir(dirname(join(tmp, rel)), { recursive: true });
      await writeFile(join(tmp, rel), bytes);
      await chmod(join(tmp, rel), rel.endsWith('.json') ? 0o644 : 0o755);
    }
    await writeFile(join(tmp, 'build-static.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (await exists(out)) await rename(out, old);
    await rename(tmp, out);
  } catch (error) {
    await removeQuietly(tmp);
    if (!(await exists(out)) && (await exists(old))) await rename(old, out).catch(() => undefined);
    throw new BuildStaticError('OUTPUT_FAILED', `cannot write ${out}: ${(error as Error).message}`, { cause: error });
  } finally {
    await removeQuietly(old);
  }
}

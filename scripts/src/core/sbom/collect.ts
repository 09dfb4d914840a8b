// Gathers what an SBOM says about one platform's build: asks cargo for the resolve graph filtered
// to the target (with the build's features), reads Cargo.lock's checksums, and finds the versions
// of what the link added (std = rustc's version; musl from the libc.a linked; mimalloc from the C
// sources that were compiled). The only impure part of core/sbom; the renderers are pure.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { firstCargoError } from '../cargo/metadata.ts';
import { CommandError, runStep } from '../exec/exec.ts';
import { cacheDir, exists } from '../fs.ts';
import type { PlatformToolchain } from '../build/plan.ts';
import { muslLibcPath, MIMALLOC_SYS_VERSION } from '../toolchain/mimalloc.ts';
import { mimallocVersion } from '../toolchain/mimalloc-shared.ts';
import type { CrateGraph, ResolvedMetadata } from './graph.ts';
import { lockfileChecksums, muslVersion, type LinkedComponent } from './inputs.ts';

export interface MetadataQuery {
  readonly cargo: string;
  readonly manifestPath: string;
  readonly cwd: string;
  readonly triple: string;
  readonly features: readonly string[];
  readonly noDefaultFeatures: boolean;
  readonly locked: boolean;
}

// A resolve graph already read, with the exact command and RUSTC that produced it.
export interface ScannedMetadata {
  readonly argv: readonly string[];
  readonly rustc: string | undefined;
  readonly meta: ResolvedMetadata;
}

// `cargo metadata --filter-platform <triple>` with the build's feature flags, as argv.
export function metadataArgv(q: MetadataQuery): string[] {
  return [
    q.cargo, 'metadata', '--format-version', '1', '--manifest-path', q.manifestPath, '--filter-platform', q.triple,
    ...(q.features.length > 0 ? ['--features', q.features.join(',')] : []),
    ...(q.noDefaultFeatures ? ['--no-default-features'] : []),
    ...(q.locked ? ['--locked'] : []),
  ];
}

// Runs the query; cargo's first error line becomes the message.
export async function resolvedMetadata(q: MetadataQuery, env?: Record<string, string>): Promise<ResolvedMetadata> {
  try {
    const { stdout } = await runStep({ argv: metadataArgv(q), cwd: q.cwd, env });
    return JSON.parse(stdout) as ResolvedMetadata;
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    throw new BuildStaticError('CARGO_METADATA_FAILED', `cargo cannot resolve the dependencies of ${q.manifestPath} for ${q.triple}: ${firstCargoError(error.stderr) ?? error.message}`, { cause: error, detail: error.detail });
  }
}

// Cargo.lock's checksums, or none when the project has no lockfile.
export async function readChecksums(workspaceRoot: string): Promise<Map<string, string>> {
  const path = join(workspaceRoot, 'Cargo.lock');
  if (!(await exists(path))) return new Map();
  return lockfileChecksums(await readFile(path, 'utf8'), path);
}

// std, musl and (when linked) mimalloc, with versions found on this machine.
export async function linkedComponents(tc: PlatformToolchain, graph: CrateGraph, allocator: string, env: NodeJS.ProcessEnv): Promise<LinkedComponent[]> {
  const rust = tc.rust.toolchain;
  const out: LinkedComponent[] = [{
    name: 'rust-std',
    version: rust.version,
    purl: `pkg:generic/rust-std@${rust.version}?target=${tc.platform.triple}`,
    license: 'MIT OR Apache-2.0',
    description: `Rust standard library for ${tc.platform.triple}, ${stdDescription(tc.rust.std)}`,
  }];
  const libc = muslLibcPath(tc.platform, tc.rust.stdSysroot ?? rust.sysroot, tc.rust.std);
  const musl = await readFile(libc).then((b) => muslVersion(new Uint8Array(b)), () => undefined);
  out.push({ name: 'musl', version: musl ?? 'NOASSERTION', purl: `pkg:generic/musl@${musl ?? 'unknown'}`, license: 'MIT', description: `musl libc, statically linked (${stdFromSourceText(tc.rust.std)})` });
  if (allocator === 'mimalloc') {
    const mi = await mimallocOf(graph, tc, env);
    if (mi) out.push({ name: 'mimalloc', version: mi.version, purl: `pkg:generic/mimalloc@${mi.version}`, license: 'MIT', description: `mimalloc allocator, statically linked (${mi.from})` });
  }
  return out;
}

function stdFromSourceText(std: string): string {
  return std === 'sysroot' || std === 'build-std' ? "the system's musl libc.a" : "the toolchain's self-contained libc.a";
}

function stdDescription(std: string): string {
  if (std === 'sysroot') return 'compiled from the toolchain\'s rust-src into a cached sysroot';
  if (std === 'build-std') return 'compiled from rust-src with -Zbuild-std';
  return std === 'rustup' ? 'prebuilt, added with rustup' : 'prebuilt, shipped with the toolchain';
}

// The C mimalloc version: from libmimalloc-sys's vendored sources (the crate's v2 or v3 copy), or
// from the sources build-static links in itself (--allocator mimalloc).
async function mimallocOf(graph: CrateGraph, tc: PlatformToolchain, env: NodeJS.ProcessEnv): Promise<{ version: string; from: string } | undefined> {
  const sys = graph.crates.find((c) => c.name === 'libmimalloc-sys' && c.scope === 'runtime');
  const candidates: Array<[string, string]> = [];
  if (sys?.manifestPath) {
    const base = join(dirname(sys.manifestPath), 'c_src', 'mimalloc');
    const dirs = (await readdir(base).catch(() => [] as string[])).sort();
    const wanted = sys.features.includes('v3') ? dirs.filter((d) => d === 'v3') : dirs.filter((d) => d !== 'v3');
    for (const d of wanted.length ? wanted : dirs) candidates.push([join(base, d), `libmimalloc-sys ${sys.version}`]);
    if (dirs.length === 0) candidates.push([base, `libmimalloc-sys ${sys.version}`]);
  }
  if (tc.allocatorLib) candidates.push([join(cacheDir(env), 'mimalloc', `libmimalloc-sys-${MIMALLOC_SYS_VERSION}`, 'c_src', 'mimalloc', 'v3'), 'linked in by build-static --allocator']);
  for (const [dir, from] of candidates) {
    const version = await mimallocVersion(dir).catch(() => undefined);
    if (version) return { version, from };
  }
  return undefined;
}

// Which allocator a Dockerfile build gives, decided as `build-static build` decides it: the chef
// image links mimalloc in by default (its CARGO_TARGET_<TRIPLE>_RUSTFLAGS put a libc.a with
// mimalloc first), so the Dockerfile only overrides those rustflags with the image's
// BUILD_STATIC_SYSTEM_RUSTFLAGS_<TRIPLE> where the native build would not link mimalloc in.
import { decideAllocators } from '../build/allocator.ts';
import type { CargoMetadata } from '../cargo/metadata.ts';
import { activeDependencies } from '../cargo/features.ts';
import type { BinaryTarget } from '../cargo/binaries.ts';
import type { BuildConfig } from '../config.ts';
import { selectedFeatures } from '../build/plan.ts';
import { PLATFORMS, tripleCargoEnv } from '../platform.ts';
import { BuildStaticError } from '../../errors.ts';

export interface DockerfileAllocator {
  /** The comment line written into the Dockerfile. */
  readonly line: string;
  /** Lines for the builder stage (before the cook) when the image's default rustflags do not apply. */
  readonly env?: readonly string[];
  /** Set when a binary does not get what it would get alone: what to do about it. */
  readonly note?: string;
}

// The ENV that gives musl's malloc: the chef image's rustflags without its link-time mimalloc.
// Cook and build both run after it, with the same flags, so the cook cache still hits.
export function systemAllocatorEnv(): string[] {
  const pairs = PLATFORMS.map((p) => `CARGO_TARGET_${tripleCargoEnv(p.triple)}_RUSTFLAGS="\${BUILD_STATIC_SYSTEM_RUSTFLAGS_${tripleCargoEnv(p.triple)}}"`);
  return ['# No link-time mimalloc here: the chef image\'s plain rustflags (BUILD_STATIC_SYSTEM_RUSTFLAGS_<TRIPLE>).', `ENV ${pairs.join(' \\\n    ')}`];
}

// The allocator of the selected binaries in a Dockerfile build: the same as the native build's.
export function dockerfileAllocator(meta: CargoMetadata, config: BuildConfig, binaries: readonly BinaryTarget[]): DockerfileAllocator {
  const selection = { features: selectedFeatures({ config, binaries }), noDefaultFeatures: config.noDefaultFeatures };
  const owners = meta.packages.filter((p) => binaries.some((b) => b.package === p.name));
  const decisions = Object.values(decideAllocators(config.allocator, owners.map((p) => ({ name: p.name, deps: activeDependencies(p, selection) }))));
  const inject = decisions[0]?.inject;
  if (inject === 'mimalloc-secure') {
    throw new BuildStaticError('USAGE', 'allocator = "mimalloc-secure" cannot be built from a Dockerfile yet (the chef image carries plain mimalloc only): use --engine native, or allocator = "mimalloc"');
  }
  if (inject) {
    const why = config.allocator === 'auto' ? 'the default' : 'allocator = "mimalloc"';
    return { line: `# Allocator: mimalloc linked in (${why}; the chef image's libc.a with mimalloc), as with \`build-static build\`.` };
  }
  const env = systemAllocatorEnv();
  const crates = [...new Set(decisions.flatMap((d) => (d.reason === 'crate' && d.crate ? [d.crate] : [])))].sort();
  const note = decisions.find((d) => d.note)?.note;
  if (crates.length > 0 && !note) {
    return { line: `# Allocator: the crate's own #[global_allocator] (crate ${crates.join(', ')}), as with \`build-static build\`.`, env };
  }
  if (note) return { line: `# Allocator: musl's malloc for binaries without their own allocator (${crates.join(', ')} kept), as with \`build-static build\`.`, env, note };
  return { line: '# Allocator: musl\'s malloc (allocator = "system"), as with `build-static build`.', env };
}

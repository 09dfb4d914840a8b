// Decides, before building, which allocator each binary gets and why: by default (`auto`)
// mimalloc linked in at link time unless the crate sets its own #[global_allocator] (kept as it
// is); `system` keeps musl's malloc; `mimalloc`/`mimalloc-secure` require mimalloc. A crate
// allocator that contradicts an explicit request is an error here, not a surprise after a build.
import { BuildStaticError } from '../../errors.ts';
import type { Allocator } from '../config.ts';
import type { MimallocFlavor } from '../toolchain/mimalloc.ts';

const CRATE_ALLOCATORS: Record<string, string> = {
  mimalloc: 'mimalloc',
  'tikv-jemallocator': 'jemalloc',
  jemallocator: 'jemalloc',
  'snmalloc-rs': 'snmalloc',
  rpmalloc: 'rpmalloc',
  tcmalloc: 'tcmalloc',
};

export interface DependencyInfo {
  readonly name: string;
  readonly features: readonly string[];
  readonly kind: string | null;
}

/** Why a binary has its allocator: build-static's default, the crate's own, or the user's request. */
export type AllocatorReason = 'default' | 'crate' | 'requested';

export interface AllocatorDecision {
  readonly reason: AllocatorReason;
  /** The mimalloc flavor build-static links in; undefined when nothing is linked in. */
  readonly inject?: MimallocFlavor;
  /** The crate's own allocator crate (reason `crate`). */
  readonly crate?: string;
  /** The allocator family the binary is expected to have (as detectAllocator names it). */
  readonly expected: string;
  /** Set when the default could not be applied (the binaries of one build disagree). */
  readonly note?: string;
}

// The allocator crate a package depends on directly (normal dependencies only), if any.
export function crateAllocator(deps: readonly DependencyInfo[]): { name: string; allocator: string; features: readonly string[] } | undefined {
  const dep = deps.find((d) => (d.kind === null || d.kind === 'normal') && CRATE_ALLOCATORS[d.name]);
  return dep ? { name: dep.name, allocator: CRATE_ALLOCATORS[dep.name]!, features: dep.features } : undefined;
}

// One package's allocator under the setting `wanted`, given its active dependencies.
export function decideAllocator(wanted: Allocator, deps: readonly DependencyInfo[], pkg: string): AllocatorDecision {
  const own = crateAllocator(deps);
  const kept = own ? { reason: 'crate' as const, crate: own.name, expected: own.allocator } : undefined;
  if (wanted === 'auto') return kept ?? { reason: 'default', inject: 'mimalloc', expected: 'mimalloc' };
  if (wanted === 'system') {
    if (own) throw new BuildStaticError('ALLOCATOR_MISMATCH', `${pkg} sets its own allocator (crate ${own.name}), but allocator "system" was requested: remove the crate's #[global_allocator] or use --allocator auto`);
    return { reason: 'requested', expected: 'musl' };
  }
  if (!own) return { reason: 'requested', inject: wanted, expected: 'mimalloc' };
  if (own.allocator !== 'mimalloc') {
    throw new BuildStaticError('ALLOCATOR_MISMATCH', `${pkg} sets its own allocator (crate ${own.name}), which conflicts with allocator "${wanted}": remove that crate's #[global_allocator] to get mimalloc linked in, or use --allocator auto`);
  }
  if (wanted === 'mimalloc-secure' && !own.features.includes('secure')) {
    throw new BuildStaticError('ALLOCATOR_MISMATCH', `${pkg} uses the mimalloc crate without its "secure" feature, but allocator "mimalloc-secure" was requested: enable features = ["secure"] on mimalloc, or use --allocator mimalloc`);
  }
  return kept!; // the crate's own mimalloc already serves Rust's allocations
}

// The decisions for all packages of one build, which links one libc per platform: the link-time
// mimalloc goes into every binary or none (a crate's own mimalloc would clash with it). When the
// default meets a crate allocator, the others keep musl's malloc with a note; an explicit request
// that cannot be met for all is an error.
export function decideAllocators(wanted: Allocator, packages: ReadonlyArray<{ name: string; deps: readonly DependencyInfo[] }>): Record<string, AllocatorDecision> {
  const decisions = Object.fromEntries(packages.map((p) => [p.name, decideAllocator(wanted, p.deps, p.name)]));
  const injects = new Set(Object.values(decisions).map((d) => d.inject));
  if (injects.size <= 1) return decisions;
  if (wanted !== 'auto') throw new BuildStaticError('ALLOCATOR_MISMATCH', `the selected binaries disagree on their allocator for "${wanted}": build them one at a time with --bin`);
  const owners = Object.entries(decisions).filter(([, d]) => d.reason === 'crate').map(([name, d]) => `${name} uses ${d.crate}`).join(', ');
  for (const [name, d] of Object.entries(decisions)) {
    if (d.inject) decisions[name] = { reason: 'default', expected: 'musl', note: `mimalloc was not linked in because another binary of this build sets its own allocator (${owners}): build it alone with --bin to get mimalloc` };
  }
  return decisions;
}

// Decides, before building, whether build-static links mimalloc in at link time: only when the
// user asked for mimalloc and the crate does not already bring an allocator. A crate allocator
// that contradicts the request is an error here, not a surprise after a long build.
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

// The allocator crate a package depends on directly (normal dependencies only), if any.
export function crateAllocator(deps: readonly DependencyInfo[]): { name: string; allocator: string; features: readonly string[] } | undefined {
  const dep = deps.find((d) => (d.kind === null || d.kind === 'normal') && CRATE_ALLOCATORS[d.name]);
  return dep ? { name: dep.name, allocator: CRATE_ALLOCATORS[dep.name]!, features: dep.features } : undefined;
}

// What to link in: a mimalloc flavor, or nothing (auto/system, or the crate's own mimalloc).
export function allocatorInjection(wanted: Allocator, deps: readonly DependencyInfo[], pkg: string): MimallocFlavor | undefined {
  const own = crateAllocator(deps);
  if (wanted === 'auto') return undefined;
  if (wanted === 'system') {
    if (own) throw new BuildStaticError('ALLOCATOR_MISMATCH', `${pkg} sets its own allocator (crate ${own.name}), but allocator "system" was requested: remove the crate's #[global_allocator] or use --allocator auto`);
    return undefined;
  }
  if (!own) return wanted;
  if (own.allocator !== 'mimalloc') {
    throw new BuildStaticError('ALLOCATOR_MISMATCH', `${pkg} sets its own allocator (crate ${own.name}), which conflicts with allocator "${wanted}": remove that crate's #[global_allocator] to get mimalloc linked in, or use --allocator auto`);
  }
  if (wanted === 'mimalloc-secure' && !own.features.includes('secure')) {
    throw new BuildStaticError('ALLOCATOR_MISMATCH', `${pkg} uses the mimalloc crate without its "secure" feature, but allocator "mimalloc-secure" was requested: enable features = ["secure"] on mimalloc, or use --allocator mimalloc`);
  }
  return undefined; // the crate's own mimalloc already serves Rust's allocations
}

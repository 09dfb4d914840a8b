// Which allocator a Dockerfile build gives, said in the Dockerfile itself: the chef image does not
// yet carry build-static's link-time mimalloc (a libc.a with mimalloc in place of musl's malloc),
// so a binary without its own #[global_allocator] gets musl's malloc there, unlike `build`.
import { crateAllocator } from '../build/allocator.ts';
import type { CargoMetadata } from '../cargo/metadata.ts';
import { activeDependencies } from '../cargo/features.ts';
import type { BinaryTarget } from '../cargo/binaries.ts';
import type { BuildConfig } from '../config.ts';
import { selectedFeatures } from '../build/plan.ts';

export interface DockerfileAllocator {
  /** The comment line written into the Dockerfile. */
  readonly line: string;
  /** Set when the image's binaries differ from `build-static build`'s: what to do about it. */
  readonly note?: string;
}

// The allocator of the selected binaries in a Dockerfile build, compared with the native build's.
export function dockerfileAllocator(meta: CargoMetadata, config: BuildConfig, binaries: readonly BinaryTarget[]): DockerfileAllocator {
  const selection = { features: selectedFeatures({ config, binaries }), noDefaultFeatures: config.noDefaultFeatures };
  const owners = meta.packages.filter((p) => binaries.some((b) => b.package === p.name));
  const own = owners.map((p) => crateAllocator(activeDependencies(p, selection)));
  if (own.every((o) => o !== undefined)) {
    const names = [...new Set(own.map((o) => o!.name))].sort().join(', ');
    return { line: `# Allocator: the crate's own #[global_allocator] (crate ${names}), as with \`build-static build\`.` };
  }
  if (config.allocator === 'system') return { line: '# Allocator: musl\'s malloc (allocator = "system"), as with `build-static build`.' };
  return {
    line: "# Allocator: musl's malloc. `build-static build` links mimalloc in by default; this image cannot yet:\n# set the mimalloc crate as #[global_allocator] to get the same fast binary from both.",
    note: "the Dockerfile build gives musl's malloc (the chef image has no link-time mimalloc yet), while build-static build links mimalloc in by default: add the mimalloc crate as #[global_allocator] for the same binary",
  };
}

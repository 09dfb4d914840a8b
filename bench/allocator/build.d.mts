// Types of build.mjs's pure part, for the TypeScript tests.
export function withoutMimallocCrate(manifest: string, where: string): string;
export const VARIANTS: ReadonlyArray<{ id: string; label: string; crateFree?: boolean; flags?: string[]; want: { allocator: string; linkage: RegExp } }>;

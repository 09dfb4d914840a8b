// Types of build.mjs's pure part, for the TypeScript tests.
export const VARIANTS: ReadonlyArray<{ id: string; label: string; ownTarget?: boolean; flags?: string[]; want: { allocator: string; linkage: RegExp } }>;

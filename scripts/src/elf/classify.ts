import type { Elf } from './elf.ts';

export type LinkageKind = 'static' | 'static-pie' | 'dynamic';

export interface Linkage {
  kind: LinkageKind;
  interpreter?: string;
  needed: string[];
}

// How the binary gets loaded: 'static' (no PT_INTERP, no DT_NEEDED), 'static-pie' (the same but
// ET_DYN: it relocates itself), otherwise 'dynamic' (needs a loader or shared libraries). An ET_DYN
// that is not a PIE (a shared library, e.g. one with a SONAME and no dependencies) is 'dynamic': it
// cannot run on its own.
export function classifyLinkage(elf: Elf): Linkage {
  const needed = [...(elf.dynamic?.needed ?? [])];
  const base = elf.interpreter !== undefined ? { interpreter: elf.interpreter } : {};
  if (elf.interpreter !== undefined || needed.length > 0) return { kind: 'dynamic', ...base, needed };
  if (elf.type !== 'DYN') return { kind: 'static', needed };
  return { kind: elf.isPie ? 'static-pie' : 'dynamic', needed };
}

// True only for the two kinds a FROM-scratch image can run without any libc or loader present.
export function isFullyStatic(elf: Elf): boolean {
  return classifyLinkage(elf).kind !== 'dynamic';
}

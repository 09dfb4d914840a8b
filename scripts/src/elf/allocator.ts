import { classifyLinkage } from './classify.ts';
import type { Elf } from './elf.ts';
import { dataRegions, findMarkers } from './strings.ts';

export type AllocatorName = 'mimalloc' | 'jemalloc' | 'glibc' | 'musl' | 'unknown';

export interface AllocatorReport {
  allocator: AllocatorName;
  evidence: string[];
}

/** Literal strings each allocator compiles into read-only data (see README for where each comes
 * from). A family counts as present when at least `need` distinct markers are found, so a program
 * that merely mentions a name in its own text does not qualify. */
export const ALLOCATOR_MARKERS = {
  mimalloc: { need: 2, markers: ['mimalloc: error: ', 'mimalloc: warning: ', 'environment option mimalloc_'] },
  jemalloc: { need: 2, markers: ['<jemalloc>: ', 'MALLOC_CONF'] },
  glibc: { need: 2, markers: ['malloc(): corrupted top size', 'free(): invalid pointer', 'double free or corruption', 'corrupted size vs. prev_size'] },
  musl: { need: 1, markers: ['No error information', '-0X+0X 0X-0x+0x 0x'] },
} as const;

const SYMBOLS: Record<'mimalloc' | 'jemalloc' | 'glibc' | 'musl', RegExp> = {
  mimalloc: /^mi_(malloc|free|zalloc|calloc|realloc|heap_malloc|option_set|malloc_aligned)\w*$/,
  jemalloc: /^(_rjem_|je_)?(mallocx|sdallocx|rallocx|nallocx|mallctl)$|^(_rjem_|je_)(malloc|free|calloc)$/,
  glibc: /^(_int_malloc|malloc_consolidate|sysmalloc|__malloc_arena_thread_freeres|ptmalloc_init(\.\w+)*)$/,
  musl: /^(__init_libc|__libc_malloc_impl|__malloc_donate|__libc_start_init)$/,
};
const LIBS: Record<'mimalloc' | 'jemalloc' | 'glibc' | 'musl', RegExp> = {
  mimalloc: /^libmimalloc[\w-]*\.so/,
  jemalloc: /^libjemalloc\.so/,
  glibc: /^libc\.so\.6$/,
  musl: /^(libc\.musl-[\w]+\.so\.1|ld-musl-[\w]+\.so\.1)$/,
};

type Family = keyof typeof SYMBOLS;
const MALLOC_API = new Set(['malloc', 'free', 'calloc', 'realloc', 'mallopt', 'malloc_trim', 'posix_memalign', 'aligned_alloc']);
const ORDER: readonly Family[] = ['mimalloc', 'jemalloc', 'glibc', 'musl'];

// Names the malloc implementation a binary will use. Works on stripped static binaries through
// marker strings; symbols and DT_NEEDED add evidence when present. A replacement allocator
// (mimalloc/jemalloc) wins over the libc one, which is still linked for libc's own use.
export function detectAllocator(bytes: Uint8Array, elf: Elf): AllocatorReport {
  const linkage = classifyLinkage(elf);
  const regions = dataRegions(elf, bytes.byteLength);
  const syms = [...elf.symbols, ...elf.dynamicSymbols].filter((s) => s.name !== '');
  const evidence: Record<Family, string[]> = { mimalloc: [], jemalloc: [], glibc: [], musl: [] };
  const strong = new Set<Family>();
  for (const fam of ORDER) {
    const { need, markers } = ALLOCATOR_MARKERS[fam];
    const found = findMarkers(bytes, regions, markers);
    for (const [m, where] of found) evidence[fam].push(`string "${m.trim()}" in ${where.region}`);
    if (found.size >= need) strong.add(fam);
    const sym = syms.find((s) => SYMBOLS[fam].test(s.name));
    if (sym) {
      evidence[fam].push(`symbol ${sym.name} (${sym.defined ? 'defined' : 'imported'})`);
      strong.add(fam);
    }
    const lib = linkage.needed.find((n) => LIBS[fam].test(n));
    if (lib) {
      evidence[fam].push(`DT_NEEDED ${lib}`);
      strong.add(fam);
    }
  }
  if (linkage.interpreter && /ld-musl-/.test(linkage.interpreter)) {
    evidence.musl.push(`interpreter ${linkage.interpreter}`);
    strong.add('musl');
  }
  const winner = ORDER.find((f) => strong.has(f));
  const imports = elf.dynamicSymbols.filter((s) => !s.defined && MALLOC_API.has(s.name)).map((s) => s.name);
  if (imports.length > 0 && (winner === 'glibc' || winner === 'musl')) {
    evidence[winner].push(`imports ${[...new Set(imports)].join(', ')} from the C library`);
  }
  if (winner) {
    const others = ORDER.filter((f) => f !== winner && evidence[f].length > 0).map((f) => `also ${f}: ${evidence[f].join(', ')}`);
    return { allocator: winner, evidence: [...evidence[winner], ...others] };
  }
  const weak = ORDER.flatMap((f) => evidence[f].map((e) => `weak ${f} hint: ${e}`));
  if (linkage.kind !== 'dynamic') {
    return {
      allocator: 'musl',
      evidence: [
        ...weak,
        `fallback: ${linkage.kind} binary with no glibc, mimalloc or jemalloc markers; musl libc assumed but not positively identified`,
      ],
    };
  }
  return { allocator: 'unknown', evidence: [...weak, `dynamic binary (needs ${linkage.needed.join(', ') || 'nothing'}) with no known allocator markers`] };
}

// Symbols glibc programs import that musl does not define — the "Error relocating ./main:
// mallopt: symbol not found" class of Alpine failures. libc6-compat (gcompat) adds a loader and
// some of these; the ones marked `compat: false` stay missing even with it.

export interface GlibcOnly {
  readonly pattern: RegExp;
  readonly why: string;
  /** Whether Alpine's libc6-compat/gcompat provides it. */
  readonly compat: boolean;
}

export const GLIBC_ONLY: readonly GlibcOnly[] = [
  { pattern: /^(mallopt|malloc_trim|malloc_stats|malloc_info|mallinfo2?)$/, why: 'glibc malloc tuning', compat: false },
  { pattern: /^gnu_get_libc_(version|release)$/, why: 'glibc version query', compat: true },
  { pattern: /^__res_n?(init|query|search|close|send|mkquery|maybe_init)$/, why: "glibc's resolver internals", compat: false },
  { pattern: /^__\w+_chk$/, why: '_FORTIFY_SOURCE checked function', compat: true },
  { pattern: /^__isoc(99|23)_\w+$/, why: 'glibc C99/C23 scanf aliases', compat: true },
  { pattern: /^__(f|l)?xstat(64)?$|^__fxstatat(64)?$/, why: 'pre-2.33 glibc stat wrappers', compat: true },
  { pattern: /^backtrace(_symbols(_fd)?)?$/, why: 'glibc execinfo', compat: true },
  { pattern: /^error(_at_line)?$/, why: 'glibc error reporting', compat: true },
  { pattern: /^(getcontext|setcontext|makecontext|swapcontext)$/, why: 'ucontext, not in musl', compat: false },
  { pattern: /^(dlmopen|dlvsym|_dl_find_object)$/, why: 'glibc dynamic-loader extension', compat: false },
  { pattern: /^(obstack_\w+|_obstack_\w+|argp_\w+|fts\w*_(open|read|close|children|set))$/, why: 'glibc-only library API', compat: false },
  { pattern: /^(__register_atfork|__libc_single_threaded|__libc_alloca_cutoff)$/, why: 'glibc internal', compat: false },
];

// The glibc-only symbols among a binary's undefined (imported, non-weak) symbols.
export function glibcOnlyImports(imports: Iterable<string>): Array<{ symbol: string; why: string; compat: boolean }> {
  const found: Array<{ symbol: string; why: string; compat: boolean }> = [];
  for (const symbol of imports) {
    const match = GLIBC_ONLY.find((g) => g.pattern.test(symbol));
    if (match) found.push({ symbol, why: match.why, compat: match.compat });
  }
  return found.sort((a, b) => a.symbol.localeCompare(b.symbol));
}

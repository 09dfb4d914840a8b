import { classifyLinkage } from './classify.ts';
import type { Elf } from './elf.ts';
import { dataRegions, findMarkers } from './strings.ts';
import { STB } from './symbols.ts';
import { findThreadCreateCode } from './thread-create.ts';

export interface ThreadingReport {
  /** true: thread-creation code is linked in; false: it is not; null: the bytes cannot tell. */
  multiThreaded: boolean | null;
  evidence: string[];
}

/** Strings that hint at a threading library. Evidence only, never the verdict: every Rust std
 * binary carries some of them (a hello world has "failed to join thread"; see README). */
export const THREADING_MARKERS: Readonly<Record<string, string>> = {
  RUST_MIN_STACK: 'Rust std thread::Builder::spawn (reads RUST_MIN_STACK)',
  'failed to spawn thread': 'Rust std::thread::spawn',
  'tokio-runtime-worker': 'tokio runtime worker/blocking threads',
  'The global thread pool has not been initialized': 'rayon global thread pool',
  RAYON_NUM_THREADS: 'rayon thread pool',
};

const THREAD_SYMBOLS = /^(__)?(pthread_create|thrd_create)$/;
/** Shared libraries known not to start threads on their own; any other may, unseen from the executable. */
const QUIET_LIBS = /^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libgcc_s\.so\.1|libutil\.so\.1|ld-linux[\w.-]*\.so\.\d|libc\.musl-\w+\.so\.1|ld-musl-\w+\.so\.1)$/;

// "Can this program start threads": pthread_create/thrd_create is defined or imported (symbols),
// or, in a stripped static binary, libc's thread-creation code is there (thread-create.ts). A
// static link only carries that code when something calls it, so absence means single-threaded.
// Unknown when the answer is not in the bytes: a stripped static binary for a machine whose code
// we do not read, or a dynamic one whose other libraries may create threads themselves.
export function detectThreading(bytes: Uint8Array, elf: Elf): ThreadingReport {
  const linkage = classifyLinkage(elf);
  const evidence: string[] = [];
  const seen = new Set<string>();
  for (const s of [...elf.symbols, ...elf.dynamicSymbols]) {
    // An undefined weak reference (libgcc's "is libpthread linked?" probe) calls nothing.
    const counts = s.defined || (linkage.kind === 'dynamic' && s.bind !== STB.WEAK);
    if (!THREAD_SYMBOLS.test(s.name) || seen.has(s.name) || !counts) continue;
    seen.add(s.name);
    evidence.push(`symbol ${s.name} (${s.defined ? 'defined' : 'imported'})`);
  }
  const hints = [...findMarkers(bytes, dataRegions(elf, bytes.byteLength), Object.keys(THREADING_MARKERS))]
    .map(([m, where]) => `hint: string "${m}" in ${where.region} (${THREADING_MARKERS[m]})`);
  if (evidence.length > 0) return { multiThreaded: true, evidence: [...evidence, ...hints] };

  if (linkage.kind === 'dynamic') {
    const others = linkage.needed.filter((n) => !QUIET_LIBS.test(n));
    if (others.length === 0) return { multiThreaded: false, evidence: hints };
    return { multiThreaded: null, evidence: [`imports no pthread_create, but needs ${others.join(', ')}, which may start threads`, ...hints] };
  }
  if (!elf.stripped) return { multiThreaded: false, evidence: hints }; // the symbol table lists what is linked
  const code = findThreadCreateCode(bytes, elf);
  if (code === undefined) return { multiThreaded: null, evidence: [`stripped static ${elf.machineName} binary: its code is not read for thread creation`, ...hints] };
  return { multiThreaded: code.length > 0, evidence: [...code, ...hints] };
}

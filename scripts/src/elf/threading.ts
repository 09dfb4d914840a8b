import type { Elf } from './elf.ts';
import { dataRegions, findMarkers } from './strings.ts';

export interface ThreadingReport {
  multiThreaded: boolean;
  evidence: string[];
}

/** Strings that only end up in a binary when thread-spawning code is linked in (checked against Rust
 * programs built with and without std::thread::spawn; see README). Each maps to what it proves. */
export const THREADING_MARKERS: Readonly<Record<string, string>> = {
  RUST_MIN_STACK: 'Rust std thread::Builder::spawn (reads RUST_MIN_STACK)',
  'failed to spawn thread': 'Rust std::thread::spawn',
  'failed to join thread': 'Rust std JoinHandle::join',
  'tokio-runtime-worker': 'tokio runtime worker/blocking threads',
  'The global thread pool has not been initialized': 'rayon global thread pool',
  RAYON_NUM_THREADS: 'rayon thread pool',
};

const THREAD_SYMBOLS = /^(pthread_create|thrd_create)$/;

// Heuristic "does this program create threads": marker strings in data sections, plus
// pthread_create/thrd_create in .symtab/.dynsym when present. It proves the code is linked,
// not that it runs; stripped static C programs using raw pthreads are not detected.
export function detectThreading(bytes: Uint8Array, elf: Elf): ThreadingReport {
  const evidence: string[] = [];
  const found = findMarkers(bytes, dataRegions(elf, bytes.byteLength), Object.keys(THREADING_MARKERS));
  for (const [m, where] of found) evidence.push(`string "${m}" in ${where.region}: ${THREADING_MARKERS[m]}`);
  const seen = new Set<string>();
  for (const s of [...elf.symbols, ...elf.dynamicSymbols]) {
    if (!THREAD_SYMBOLS.test(s.name) || seen.has(s.name)) continue;
    seen.add(s.name);
    evidence.push(`symbol ${s.name} (${s.defined ? 'defined' : 'imported'})`);
  }
  return { multiThreaded: evidence.length > 0, evidence };
}

// Types of report.mjs (and the results JSON it reads), for the TypeScript tests.
export interface ServerRound { requestsPerSecond: number; p50Ms: number; p99Ms: number; peakRssKiB: number; requests: number; non2xx: number }
export interface WorkloadRound { opsPerSecond: number; elapsedSeconds: number; peakRssKiB: number }
export interface ServerFigures { requestsPerSecond: number; p50Ms: number; p99Ms: number; peakRssKiB: number; rounds: ServerRound[] }
export interface WorkloadFigures { threads: number; opsPerSecond: number; elapsedSeconds: number; peakRssKiB: number; rounds: WorkloadRound[] }
export interface Variant { id: string; label: string; server: ServerFigures; workload: WorkloadFigures[]; [more: string]: unknown }
export interface AllocatorResult {
  settings: { rounds: number; wrk: { threads: number; connections: number; durationSeconds: number; warmupSeconds: number }; workload: { ops: number; threads: number[] } };
  machine: { nproc: number; cpu: string; kernel: string; rustc: string; loadavgStart: number[]; loadavgEnd: number[]; [more: string]: unknown };
  variants: Variant[];
  [more: string]: unknown;
}
export type Ratios = Record<string, { requestsPerSecond: number; p99Ms: number; workload: Record<number, number> }>;
export function median(xs: number[]): number;
export function summariseServer(rounds: ServerRound[]): ServerFigures;
export function summariseWorkload(threads: number, rounds: WorkloadRound[]): WorkloadFigures;
export function ratiosToGlibc(variants: Variant[]): Ratios;
export function thousands(n: number): string;
export function ratio(r: number): string;
export function medianOf(rounds: number): string;
export function markdownTables(result: AllocatorResult): string;

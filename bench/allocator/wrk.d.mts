// Types of wrk.mjs, for the TypeScript tests.
export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p75: number; p90: number; p99: number };
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  non2xx: number;
}
export function durationMs(text: string): number;
export function parseWrk(text: string): WrkResult;

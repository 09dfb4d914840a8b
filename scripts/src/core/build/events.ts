// What a running build reports. The library emits these; the CLI decides how to show them
// (prefixed lines for people, nothing extra for --json). A cargo line has no platform when one
// cargo builds several; `finished` says which packages were compiled for the platform (cargo's own
// "Compiling" lines cannot: it prints them once per package), `host-units` the shared host ones.
import type { Platform } from '../platform.ts';

export type BuildEvent =
  | { readonly type: 'toolchain'; readonly platform: Platform; readonly std: string; readonly rustc: string; readonly notes: readonly string[]; readonly reason?: string }
  | { readonly type: 'setup'; readonly line: string }
  | { readonly type: 'start'; readonly platform: Platform; readonly platforms: readonly Platform[]; readonly command: string }
  | { readonly type: 'cargo'; readonly platform?: Platform; readonly line: string }
  | { readonly type: 'finished'; readonly platform: Platform; readonly seconds: number; readonly compiled: readonly string[]; readonly fresh: number }
  | { readonly type: 'host-units'; readonly platforms: readonly Platform[]; readonly compiled: readonly string[]; readonly fresh: number }
  | { readonly type: 'warning'; readonly platform?: Platform; readonly message: string };

export type BuildListener = (event: BuildEvent) => void;

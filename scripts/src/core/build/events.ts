// What a running build reports. The library emits these; the CLI decides how to show them
// (prefixed lines for people, nothing extra for --json). A cargo line has no platform when one
// cargo builds several.
import type { Platform } from '../platform.ts';

export type BuildEvent =
  | { readonly type: 'toolchain'; readonly platform: Platform; readonly std: string; readonly rustc: string; readonly notes: readonly string[]; readonly reason?: string }
  | { readonly type: 'setup'; readonly line: string }
  | { readonly type: 'start'; readonly platform: Platform; readonly command: string }
  | { readonly type: 'cargo'; readonly platform?: Platform; readonly line: string }
  | { readonly type: 'finished'; readonly platform: Platform; readonly seconds: number }
  | { readonly type: 'warning'; readonly platform?: Platform; readonly message: string };

export type BuildListener = (event: BuildEvent) => void;

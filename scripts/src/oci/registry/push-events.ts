// What a running push or pull reports. The library emits these and never prints; the CLI decides
// how to show them (progress bars, one line per blob, nothing for --json).
import type { Digest } from '../types.ts';

export type PushEvent =
  /** HEAD found the blob already in the repository. */
  | { readonly type: 'blob-skipped'; readonly digest: Digest; readonly size: number }
  /** The registry linked the blob from another repository instead of receiving it. */
  | { readonly type: 'blob-mounted'; readonly digest: Digest; readonly size: number; readonly from: string }
  /** Bytes of the blob the registry has confirmed so far. */
  | { readonly type: 'blob-progress'; readonly digest: Digest; readonly size: number; readonly sent: number }
  | { readonly type: 'blob-uploaded'; readonly digest: Digest; readonly size: number }
  /** An upload was interrupted: it continues at `offset` in the same session, or restarts. */
  | { readonly type: 'blob-recovering'; readonly digest: Digest; readonly how: 'resume' | 'restart'; readonly offset: number; readonly reason: string }
  /** A manifest or index was stored under `target` (a digest, or a tag). */
  | { readonly type: 'manifest-pushed'; readonly digest: Digest; readonly mediaType: string; readonly target: string; readonly platform?: string }
  /** A request (`METHOD /v2/…`, or `upload sha256:…`) failed temporarily; next try after `delayMs`. */
  | { readonly type: 'retry'; readonly request: string; readonly attempt: number; readonly delayMs: number; readonly reason: string };

export type PullEvent =
  | { readonly type: 'resolved'; readonly digest: Digest; readonly mediaType: string }
  | { readonly type: 'platform-selected'; readonly platform: string; readonly digest: Digest }
  | { readonly type: 'blob-downloaded'; readonly digest: Digest; readonly size: number }
  | { readonly type: 'retry'; readonly request: string; readonly attempt: number; readonly delayMs: number; readonly reason: string };

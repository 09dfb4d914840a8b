// What `bundle` takes and returns, as plain data (the CLI fills it from flags).
import type { ImageOutputs } from '../image/outputs.ts';
import type { BundleImageResult } from './image.ts';

export interface BundleOptions {
  readonly executables: readonly string[];
  readonly out: string;
  /** Replace a non-empty OUT's contents. */
  readonly force?: boolean;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly mkdir?: readonly string[];
  /** Bundle path of the executable (one EXE), or a directory ending in "/" (several). */
  readonly installTo?: string;
  /** LD_PRELOAD libraries: `mimalloc`, `mimalloc-secure` or paths of shared libraries. */
  readonly preload?: readonly string[];
  readonly nss?: boolean;
  readonly certs?: boolean;
  readonly tzdata?: boolean;
  readonly dynamic?: boolean;
  readonly dynamicArgs?: readonly string[];
  readonly dynamicStdin?: string;
  readonly test?: boolean;
  /** argv run in the chroot; default: the first executable with no arguments. */
  readonly testCommand?: readonly string[];
  readonly testStdin?: string;
  readonly testStdout?: string;
  readonly compress?: boolean;
  readonly upx?: string;
  readonly upxArgs?: readonly string[];
  /** Cap on the bundle's total file bytes (default 2 GiB). */
  readonly maxBytes?: number;
  /** LD_LIBRARY_PATH as the loader would see it (default: this process's). */
  readonly ldLibraryPath?: string;
  readonly image?: ImageOutputs & { readonly tag: string };
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}

export interface BundleResult {
  readonly out: string;
  /** Bundle paths of the executables (Entrypoint candidates). */
  readonly executables: readonly string[];
  readonly libraries: readonly string[];
  /** Bundle paths of the --preload libraries, in LD_PRELOAD order. */
  readonly preloaded: readonly string[];
  readonly resolved: ReadonlyArray<{ name: string; path: string; via: string; by: string }>;
  readonly files: number;
  readonly symlinks: number;
  readonly directories: number;
  readonly bytes: number;
  readonly traced: number;
  readonly excluded: readonly string[];
  readonly testOutput?: string;
  readonly image?: BundleImageResult;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

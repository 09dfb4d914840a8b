// The build axis of the matrix: each way the issue builds one program. The three static musl
// builds go through build-static's own `build` (options below); dynamic glibc and dynamic musl
// are plain cargo, planned here as pure {argv, env, cwd} steps that --dry-run prints. Every
// variant has its own target dir under target/build-static/matrix/, so reruns are warm.
import { join } from 'node:path';
import type { Step } from '../exec/exec.ts';
import type { MatrixArch } from './bases.ts';

export type VariantId = 'mimalloc' | 'mimalloc-nopie' | 'system' | 'glibc' | 'musl-dynamic';

export interface BuildVariant {
  readonly id: VariantId;
  /** The row's name; `{kind}` becomes what the ELF says (static or static-pie). */
  readonly label: string;
  readonly via: 'build-static' | 'cargo';
  /** build-static variants: the --allocator and extra RUSTFLAGS. */
  readonly allocator?: 'system';
  readonly rustflags?: string;
}

export const BUILD_VARIANTS: readonly BuildVariant[] = [
  { id: 'mimalloc', label: '{kind} musl + mimalloc', via: 'build-static' },
  { id: 'mimalloc-nopie', label: '{kind} musl + mimalloc, relocation-model=static', via: 'build-static', rustflags: '-C relocation-model=static' },
  { id: 'system', label: '{kind} musl, musl malloc', via: 'build-static', allocator: 'system' },
  { id: 'glibc', label: '{kind} glibc', via: 'cargo' },
  { id: 'musl-dynamic', label: '{kind} musl, -crt-static (links libgcc_s)', via: 'cargo' },
];

export const TRIPLES: Record<'glibc' | 'musl-dynamic', Record<MatrixArch, string>> = {
  glibc: { amd64: 'x86_64-unknown-linux-gnu', arm64: 'aarch64-unknown-linux-gnu' },
  'musl-dynamic': { amd64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' },
};

// The C compiler (also the linker) each cargo variant uses on each architecture.
const CC: Record<'glibc' | 'musl-dynamic', Record<MatrixArch, string | undefined>> = {
  glibc: { amd64: undefined, arm64: 'aarch64-linux-gnu-gcc' },
  'musl-dynamic': { amd64: 'musl-gcc', arm64: 'aarch64-linux-musl-gcc' },
};
const AR: Record<MatrixArch, string> = { amd64: 'ar', arm64: 'aarch64-linux-gnu-ar' };

export interface CargoVariantInput {
  readonly projectDir: string;
  readonly manifestPath: string;
  /** target/build-static/matrix of the project. */
  readonly matrixDir: string;
  readonly bin: string;
  readonly features: readonly string[];
  readonly noDefaultFeatures: boolean;
  /** The directory holding the libgcc_s.so.1 stand-in (dynamic musl links -lgcc_s). */
  readonly libgccDir?: string;
}

export interface CargoVariantStep extends Step {
  readonly env: Readonly<Record<string, string>>;
  /** Where cargo leaves the executable. */
  readonly exe: string;
}

// The target dir of a variant (build-static variants hold both platforms, cargo ones one each).
export function variantTargetDir(matrixDir: string, id: VariantId, arch?: MatrixArch): string {
  return join(matrixDir, arch ? `${id}-${arch}` : id);
}

const envSuffix = (triple: string) => triple.replace(/-/g, '_');

// One cargo variant's build as data: plain `cargo build --release --target T`, the cross gcc as
// linker and C compiler, and for dynamic musl `-crt-static` plus the libgcc_s stand-in's dir.
export function planCargoVariant(input: CargoVariantInput, id: 'glibc' | 'musl-dynamic', arch: MatrixArch): CargoVariantStep {
  const triple = TRIPLES[id][arch];
  const targetDir = variantTargetDir(input.matrixDir, id, arch);
  const env: Record<string, string> = { CARGO_TARGET_DIR: targetDir };
  const cc = CC[id][arch];
  if (cc) {
    env[`CC_${envSuffix(triple)}`] = cc;
    env[`AR_${envSuffix(triple)}`] = AR[arch];
    env[`CARGO_TARGET_${envSuffix(triple).toUpperCase()}_LINKER`] = cc;
  }
  if (id === 'musl-dynamic') env.RUSTFLAGS = ['-C', 'target-feature=-crt-static', ...(input.libgccDir ? ['-L', `native=${input.libgccDir}`] : [])].join(' ');
  const argv = ['cargo', 'build', '--release', '--manifest-path', input.manifestPath, '--target', triple, '--bin', input.bin];
  if (input.features.length) argv.push('--features', input.features.join(','));
  if (input.noDefaultFeatures) argv.push('--no-default-features');
  return { argv, env, cwd: input.projectDir, exe: join(targetDir, triple, 'release', input.bin) };
}

// Builds the libgcc_s.so.1 stand-in for dynamic musl: Debian ships no musl libgcc_s, so the
// unwinder Rust's musl target already carries (LLVM libunwind.a, musl-built, default visibility)
// is linked into a shared object with that soname, plus libgcc.a for the compiler helpers.
// Alpine's `apk add libgcc` provides the real one; the musl+libgcc base carries this one.
export function planLibgccShim(arch: MatrixArch, rustSysroot: string, out: string): Step {
  const unwind = join(rustSysroot, 'lib/rustlib', TRIPLES['musl-dynamic'][arch], 'lib/self-contained/libunwind.a');
  const cc = CC['musl-dynamic'][arch]!;
  return { argv: [cc, '-shared', '-nostdlib', '-Wl,-soname,libgcc_s.so.1', '-o', out, '-Wl,--whole-archive', unwind, '-Wl,--no-whole-archive', '-lgcc'] };
}

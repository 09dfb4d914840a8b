// Will this executable run on a given base image? One verdict per common run image, each with
// the reasons when it will not: scratch/chainguard-static (needs no loader and no libraries),
// alpine (musl), alpine with libgcc (libgcc_s, which a dynamic musl Rust build needs), alpine with libc6-compat, distroless-cc (glibc + libgcc_s only) and debian-slim
// (glibc of Debian 12, 2.36, with libgcc_s and libstdc++, which apt itself needs).
import { compareVersions, parseGlibcVersion, type Linkage } from '../../elf/index.ts';

export type RunImage = 'scratch' | 'alpine' | 'alpine+libgcc' | 'alpine+libc6-compat' | 'distroless-cc' | 'debian-slim';

export interface Verdict {
  readonly image: RunImage;
  readonly ok: boolean;
  readonly reasons: readonly string[];
}

export interface VerdictInput {
  readonly linkage: Linkage;
  readonly glibcFloor?: string;
  readonly glibcOnly: ReadonlyArray<{ symbol: string; compat: boolean }>;
}

export const DEBIAN_SLIM_GLIBC = '2.36';
const LIBC_FAMILY = /^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|libresolv\.so\.2|ld-linux[-\w.]*\.so\.\d|libc\.musl-\w+\.so\.1|libc\.so)$/;

const isMusl = (l: Linkage) => l.interpreter?.includes('ld-musl') ?? false;
const isGlibc = (l: Linkage) => l.interpreter !== undefined && /ld-linux/.test(l.interpreter);

// Computes the six verdicts for one executable.
export function runImageVerdicts(input: VerdictInput): Verdict[] {
  const { linkage } = input;
  if (linkage.kind !== 'dynamic') {
    return (['scratch', 'alpine', 'alpine+libgcc', 'alpine+libc6-compat', 'distroless-cc', 'debian-slim'] as const).map((image) => ({ image, ok: true, reasons: [] }));
  }
  const extraLibs = linkage.needed.filter((n) => !LIBC_FAMILY.test(n));
  const libs = extraLibs.length ? [`needs shared libraries the image may lack: ${extraLibs.join(', ')}`] : [];
  const scratch = [`dynamic: needs the loader ${linkage.interpreter ?? '(none)'} and ${linkage.needed.join(', ') || 'no libraries'}`];

  const alpine: string[] = [...libs];
  const compat: string[] = [...libs];
  const lackingGcc = extraLibs.filter((n) => n !== 'libgcc_s.so.1');
  const withGcc = lackingGcc.length ? [`needs shared libraries the image may lack: ${lackingGcc.join(', ')}`] : [];
  if (!isMusl(linkage)) withGcc.push(`not a musl executable: Alpine has no ${linkage.interpreter ?? 'loader for it'}`);
  if (isGlibc(linkage)) {
    alpine.push(`glibc executable: Alpine has no ${linkage.interpreter}`);
    const missing = input.glibcOnly.filter((g) => !g.compat).map((g) => g.symbol);
    if (missing.length) compat.push(`symbol not found: ${missing.join(', ')} (glibc-only; libc6-compat lacks ${missing.length === 1 ? 'it' : 'them'})`);
  } else if (!isMusl(linkage)) {
    alpine.push(`unknown loader ${linkage.interpreter ?? '(none)'}`);
    compat.push(`unknown loader ${linkage.interpreter ?? '(none)'}`);
  }

  const debian = glibcBase(input, DEBIAN_SLIM_LIBS, 'Debian 12');
  const cc = glibcBase(input, DISTROLESS_CC_LIBS, 'distroless/cc');

  return [
    { image: 'scratch', ok: false, reasons: scratch },
    { image: 'alpine', ok: alpine.length === 0, reasons: alpine },
    { image: 'alpine+libgcc', ok: withGcc.length === 0, reasons: withGcc },
    { image: 'alpine+libc6-compat', ok: compat.length === 0, reasons: compat },
    { image: 'distroless-cc', ok: cc.length === 0, reasons: cc },
    { image: 'debian-slim', ok: debian.length === 0, reasons: debian },
  ];
}

// Libraries besides glibc's own that a glibc base ships: distroless/cc adds libgcc_s (Rust's
// unwinder); debian-slim also has libstdc++ (apt links it). The matrix showed the old verdict,
// which counted libgcc_s as missing, said "no" for every Rust glibc build that runs on both.
const DISTROLESS_CC_LIBS = ['libgcc_s.so.1'];
const DEBIAN_SLIM_LIBS = ['libgcc_s.so.1', 'libstdc++.so.6'];

// The reasons a dynamic executable will not run on a Debian 12 glibc base holding `shipped`.
function glibcBase(input: VerdictInput, shipped: readonly string[], name: string): string[] {
  const { linkage } = input;
  const reasons: string[] = [];
  const lacking = linkage.needed.filter((n) => !LIBC_FAMILY.test(n) && !shipped.includes(n));
  if (lacking.length) reasons.push(`needs shared libraries the image may lack: ${lacking.join(', ')}`);
  if (isMusl(linkage)) reasons.push(`musl executable: ${name} has no ${linkage.interpreter}`);
  const floor = input.glibcFloor ? parseGlibcVersion(input.glibcFloor) : undefined;
  const slim = parseGlibcVersion(`GLIBC_${DEBIAN_SLIM_GLIBC}`)!;
  if (floor && compareVersions(floor, slim) > 0) reasons.push(`needs ${input.glibcFloor}, ${name} has GLIBC_${DEBIAN_SLIM_GLIBC}`);
  return reasons;
}

// Checks `--require static|alpine|glibc>=2.x`; returns the reasons it is not met (empty = met).
export function unmetRequirement(require: string, input: VerdictInput, verdicts: readonly Verdict[]): string[] {
  if (require === 'static') return input.linkage.kind === 'dynamic' ? [...(verdicts.find((v) => v.image === 'scratch')?.reasons ?? [])] : [];
  if (require === 'alpine') return [...(verdicts.find((v) => v.image === 'alpine')?.reasons ?? [])];
  const m = /^glibc>=(\d+\.\d+)$/.exec(require);
  if (!m) throw new Error(`unreachable: requirement ${require} was validated by the caller`);
  if (input.linkage.kind !== 'dynamic') return [];
  if (isMusl(input.linkage)) return [`musl executable: needs ${input.linkage.interpreter}, not glibc`];
  const floor = input.glibcFloor ? parseGlibcVersion(input.glibcFloor) : undefined;
  const wanted = parseGlibcVersion(`GLIBC_${m[1]}`)!;
  return floor && compareVersions(floor, wanted) > 0 ? [`needs ${input.glibcFloor}, newer than glibc ${m[1]}`] : [];
}

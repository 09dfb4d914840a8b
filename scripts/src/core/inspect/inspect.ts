// `build-static inspect`: everything a user needs to know before shipping a binary in a small
// image — class, machine, linkage, loader, libraries, search paths, strip state, build-id,
// allocator, glibc floor and glibc-only imports — and a verdict per run image.
import { BuildStaticError } from '../../errors.ts';
import {
  auditData, classifyLinkage, detectAllocator, type AuditData, detectThreading, glibcFloor, isElfError, readElfFile, STB, type Elf,
} from '../../elf/index.ts';
import { glibcOnlyImports } from './glibc-only.ts';
import { runImageVerdicts, unmetRequirement, type Verdict } from './verdicts.ts';

export interface InspectReport {
  readonly path: string;
  readonly class: string;
  readonly machine: string;
  readonly type: string;
  readonly linkage: 'static' | 'static-pie' | 'dynamic';
  readonly interpreter?: string;
  readonly needed: readonly string[];
  readonly rpath: readonly string[];
  readonly runpath: readonly string[];
  readonly stripped: boolean;
  readonly buildId?: string;
  readonly allocator: string;
  readonly allocatorEvidence: readonly string[];
  readonly multiThreaded: boolean | null;
  readonly glibcFloor?: string;
  readonly glibcOnlySymbols: ReadonlyArray<{ symbol: string; why: string; compat: boolean }>;
  readonly verdicts: readonly Verdict[];
  /** The dependency list embedded by cargo-auditable or `build --auditable` (`.dep-v0`), when there is one. */
  readonly dependencies?: AuditData;
  /** Present when --require was given: the reasons it is not met (empty = met). */
  readonly unmet?: readonly string[];
}

const REQUIRE = /^(static|alpine|glibc>=\d+\.\d+)$/;

// Validates `--require` before any file is read.
export function checkRequirement(require: string | undefined): void {
  if (require !== undefined && !REQUIRE.test(require)) {
    throw new BuildStaticError('USAGE', `unknown requirement "${require}": use static, alpine or glibc>=2.x (e.g. glibc>=2.31)`);
  }
}

function strongImports(elf: Elf): string[] {
  return [...elf.dynamicSymbols, ...elf.symbols].filter((s) => !s.defined && s.bind !== STB.WEAK && s.name !== '').map((s) => s.name);
}

// Linux's ELF loader refuses a program header table over 64 KiB, and so PN_XNUM (0xffff, extended
// numbering, which it does not support): such a file is not runnable anywhere.
function unloadableReason(elf: Elf): string | undefined {
  if (elf.type !== 'EXEC' && elf.type !== 'DYN') return undefined;
  const { phnum, phentsize } = elf.header;
  if (phnum === 0xffff) return 'the kernel cannot load it: e_phnum is PN_XNUM (0xffff), which Linux does not support for executables';
  if (phnum * phentsize > 65536) return `the kernel cannot load it: its program header table (${phnum} × ${phentsize} bytes) is over 64 KiB`;
  if (phnum === 0) return 'the kernel cannot load it: it has no program headers';
  return undefined;
}

// Reads and analyses one file; a non-ELF, truncated or missing file is ELF_INVALID.
export async function inspectFile(path: string, require?: string): Promise<InspectReport> {
  let read;
  try {
    read = await readElfFile(path);
  } catch (error) {
    if (isElfError(error)) throw new BuildStaticError('ELF_INVALID', (error as Error).message, { cause: error });
    throw error;
  }
  const { bytes, elf } = read;
  const linkage = classifyLinkage(elf);
  const floor = glibcFloor(elf);
  const glibcOnly = glibcOnlyImports(new Set(strongImports(elf)));
  const input = { linkage, glibcOnly, ...(floor ? { glibcFloor: floor } : {}) };
  const unloadable = unloadableReason(elf);
  const verdicts = unloadable ? runImageVerdicts(input).map((v) => ({ ...v, ok: false, reasons: [unloadable, ...v.reasons] })) : runImageVerdicts(input);
  const allocator = detectAllocator(bytes, elf);
  let audit: AuditData | undefined;
  try {
    audit = auditData(bytes, elf);
  } catch (error) {
    if (isElfError(error)) throw new BuildStaticError('ELF_INVALID', `${path}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
  return {
    path,
    class: `ELF${elf.class}`,
    machine: elf.machineName,
    type: elf.type,
    linkage: linkage.kind,
    ...(linkage.interpreter ? { interpreter: linkage.interpreter } : {}),
    needed: linkage.needed,
    rpath: elf.dynamic?.rpath ?? [],
    runpath: elf.dynamic?.runpath ?? [],
    stripped: elf.stripped,
    ...(elf.buildId ? { buildId: elf.buildId } : {}),
    allocator: allocator.allocator,
    allocatorEvidence: allocator.evidence,
    multiThreaded: detectThreading(bytes, elf).multiThreaded,
    ...(floor ? { glibcFloor: floor } : {}),
    glibcOnlySymbols: glibcOnly,
    verdicts,
    ...(audit ? { dependencies: audit } : {}),
    ...(require ? { unmet: unloadable ? [unloadable] : unmetRequirement(require, input, verdicts) } : {}),
  };
}

// Inspects every file (in order); with `require`, reports which files do not meet it.
export async function inspect(paths: readonly string[], require?: string): Promise<InspectReport[]> {
  checkRequirement(require);
  if (paths.length === 0) throw new BuildStaticError('USAGE', 'inspect needs at least one file: build-static inspect FILE…');
  const reports: InspectReport[] = [];
  for (const path of paths) reports.push(await inspectFile(path, require));
  return reports;
}

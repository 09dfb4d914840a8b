// Proves a built file is what we promise, by reading its ELF (never ldd/file, whose output
// differs per platform): the right machine, no interpreter, no shared libraries, no glibc symbol
// versions. Also names the allocator linked, so a slow musl malloc is caught before shipping.
import { createHash } from 'node:crypto';
import { BuildStaticError } from '../../errors.ts';
import { classifyLinkage, detectAllocator, detectThreading, glibcVersionNeeds, parseElf } from '../../elf/index.ts';
import type { AllocatorDecision } from './allocator.ts';
import type { Platform } from '../platform.ts';

export interface VerifiedExecutable {
  readonly platform: Platform;
  readonly bin: string;
  readonly size: number;
  readonly sha256: string;
  readonly machine: string;
  readonly linkage: 'static' | 'static-pie';
  readonly allocator: string;
  readonly allocatorEvidence: readonly string[];
  readonly multiThreaded: boolean | null;
}

// Checks one executable for its platform; throws VERIFY_FAILED listing every problem found.
export function verifyExecutable(bytes: Uint8Array, platform: Platform, bin: string): VerifiedExecutable {
  const elf = parseElf(bytes);
  const problems: string[] = [];
  if (elf.machine !== platform.elfMachine) problems.push(`machine is ${elf.machineName}, expected ${platform.elfMachineName}`);
  if (elf.type !== 'EXEC' && elf.type !== 'DYN') problems.push(`ELF type is ${elf.type}, not an executable`);
  const linkage = classifyLinkage(elf);
  if (linkage.interpreter) problems.push(`has a dynamic loader (PT_INTERP ${linkage.interpreter})`);
  if (linkage.needed.length > 0) problems.push(`needs shared libraries (DT_NEEDED ${linkage.needed.join(', ')})`);
  const glibc = glibcVersionNeeds(elf);
  if (glibc.length > 0) problems.push(`needs glibc symbol versions ${glibc.join(', ')}`);
  if (problems.length > 0 || linkage.kind === 'dynamic') {
    throw new BuildStaticError('VERIFY_FAILED', `${bin} for ${platform.id} is not a static ${platform.elfMachineName} executable: ${problems.join('; ')}`);
  }
  const allocator = detectAllocator(bytes, elf);
  const threading = detectThreading(bytes, elf);
  return {
    platform,
    bin,
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    machine: elf.machineName,
    linkage: linkage.kind,
    allocator: allocator.allocator,
    allocatorEvidence: allocator.evidence,
    multiThreaded: threading.multiThreaded,
  };
}

// Holds the binary to its allocator decision: throws ALLOCATOR_MISMATCH when mimalloc was to be
// linked in and is not there, or "system" got a crate allocator; returns warnings for a
// multi-threaded binary on musl's malloc (only by request or when the default could not apply).
export function checkAllocator(exe: VerifiedExecutable, decision: AllocatorDecision): string[] {
  const where = `${exe.bin} for ${exe.platform.id}`;
  const isMimalloc = exe.allocator === 'mimalloc';
  if (decision.inject && !isMimalloc) {
    const why = decision.reason === 'default' ? 'build-static links mimalloc by default' : `allocator "${decision.inject}" was requested`;
    throw new BuildStaticError(
      'ALLOCATOR_MISMATCH',
      `${where} uses ${describe(exe.allocator)}, but ${why} and it was not linked in: check that nothing overrides the link (a custom linker or -C link-self-contained), or use --allocator system to keep musl's malloc`,
    );
  }
  if (decision.reason === 'requested' && decision.expected === 'musl' && (isMimalloc || exe.allocator === 'jemalloc')) {
    throw new BuildStaticError(
      'ALLOCATOR_MISMATCH',
      `${where} links ${exe.allocator} through its own #[global_allocator], but allocator "system" was requested: remove the crate's allocator or use --allocator auto`,
    );
  }
  if (decision.note) return [`${where} uses ${describe(exe.allocator)}: ${decision.note}`];
  if (decision.reason === 'crate' && (decision.expected === 'mimalloc' || decision.expected === 'jemalloc') && exe.allocator !== decision.expected) {
    return [`${where} depends on ${decision.crate} but uses ${describe(exe.allocator)}: set it as #[global_allocator], or remove the dependency to get mimalloc by default`];
  }
  if (decision.expected === 'musl' && exe.multiThreaded === true && !isMimalloc && exe.allocator !== 'jemalloc') {
    return [`${where} is multi-threaded but uses ${describe(exe.allocator)} (allocator "system"), which serialises threads (6-20x slower under load): use --allocator mimalloc, or drop allocator = "system"`];
  }
  return [];
}

function describe(allocator: string): string {
  return allocator === 'musl' ? "musl's default malloc" : allocator === 'unknown' ? 'an unrecognised allocator' : allocator;
}

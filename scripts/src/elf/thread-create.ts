// Finds the libc thread-creation code in a stripped static executable by its machine code. Every
// thread a Linux program starts goes through clone/clone3 with CLONE_THREAD; pthread_create passes
// one fixed flag set, and a static link carries pthread_create only when something references it
// (a hello world does not: std's spawn path is dropped by the linker's section GC). posix_spawn
// and fork use other flags (CLONE_VM|CLONE_VFORK), so the constant identifies thread creation.
import type { Elf } from './elf.ts';
import { EM } from './machines.ts';
import { PF, PT } from './program-headers.ts';
import { SHF } from './sections.ts';

/** The clone flags pthread_create passes, per libc (measured in musl 1.2 and glibc 2.36 static binaries). */
export const THREAD_CLONE_FLAGS: Readonly<Record<string, number>> = {
  // CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID|DETACHED
  'musl pthread_create': 0x7d0f00,
  // the same without CLONE_DETACHED (glibc's create_thread, clone and clone3)
  'glibc pthread_create': 0x3d0f00,
};

interface Range { offset: number; size: number }

// The file ranges holding code: executable PT_LOAD segments, else SHF_EXECINSTR sections.
function codeRanges(elf: Elf): Range[] {
  const loads = elf.programHeaders.filter((p) => p.type === PT.LOAD && (p.flags & PF.X) !== 0 && p.filesz > 0);
  if (loads.length > 0) return loads.map((p) => ({ offset: p.offset, size: p.filesz }));
  return elf.sections.filter((s) => (s.flags & SHF.EXECINSTR) !== 0 && s.size > 0).map((s) => ({ offset: s.offset, size: s.size }));
}

// x86-64: the flags as an imm32 of `mov $imm, %r32` (b8+r), or of `mov $imm, r/m` (c7 /0, with a
// register, [reg+disp8] or [rsp+disp8] operand, as glibc stores clone3's args on the stack).
function x86Uses(code: Uint8Array, flags: number): boolean {
  const b = [flags & 0xff, (flags >> 8) & 0xff, (flags >> 16) & 0xff, flags >>> 24];
  for (let i = code.indexOf(b[0]!, 4); i !== -1 && i + 4 <= code.length; i = code.indexOf(b[0]!, i + 1)) {
    if (code[i + 1] !== b[1] || code[i + 2] !== b[2] || code[i + 3] !== b[3]) continue;
    const op = code[i - 1]!;
    if (op >= 0xb8 && op <= 0xbf) return true;
    if (code[i - 2] === 0xc7 && op >= 0xc0 && op <= 0xc7) return true;
    if (code[i - 3] === 0xc7 && (code[i - 2]! & 0xc7) >= 0x40 && (code[i - 2]! & 0xc7) <= 0x47 && (code[i - 2]! & 7) !== 4) return true;
    if (code[i - 4] === 0xc7 && (code[i - 3]! & 0xc7) === 0x44) return true;
  }
  return false;
}

// AArch64: the flags built by a movz/movk pair into one register (low half 0x0f00, high half at
// lsl #16), within 64 instructions of each other; 32- or 64-bit register.
function arm64Uses(code: Uint8Array, flags: number): boolean {
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const lowAt = new Map<number, number>(); // Rd -> last instruction index setting the low half
  const highAt = new Map<number, number>();
  const low = flags & 0xffff;
  const high = flags >>> 16;
  for (let i = 0; i + 4 <= code.length; i += 4) {
    const insn = view.getUint32(i, true);
    // MOVZ/MOVK (wide immediate): sf opc(10|11) 100101 hw imm16 Rd
    if ((insn & 0x1f800000) !== 0x12800000 || ((insn >>> 29) & 3) < 2) continue;
    const hw = (insn >>> 21) & 3;
    const imm = (insn >>> 5) & 0xffff;
    const rd = insn & 31;
    const n = i / 4;
    if (hw === 0 && imm === low) lowAt.set(rd, n);
    else if (hw === 1 && imm === high) highAt.set(rd, n);
    else continue;
    const other = hw === 0 ? highAt.get(rd) : lowAt.get(rd);
    if (other !== undefined && n - other <= 64) return true;
  }
  return false;
}

/** Which thread-creation code a binary carries; `undefined` when its machine is not one we can read. */
export function findThreadCreateCode(bytes: Uint8Array, elf: Elf): string[] | undefined {
  const scan = elf.machine === EM.X86_64 ? x86Uses : elf.machine === EM.AARCH64 ? arm64Uses : undefined;
  if (!scan || elf.endian !== 'little') return undefined;
  const found: string[] = [];
  for (const [who, flags] of Object.entries(THREAD_CLONE_FLAGS)) {
    const hit = codeRanges(elf).some((r) => scan(bytes.subarray(r.offset, Math.min(r.offset + r.size, bytes.byteLength)), flags));
    if (hit) found.push(`code of ${who} (clone flags 0x${flags.toString(16)}) in an executable segment`);
  }
  return found;
}

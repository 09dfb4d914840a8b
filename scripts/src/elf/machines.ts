/** e_machine numbers for the architectures a container platform can name, plus a few common others.
 * Names follow the Go/OCI-neutral kernel spelling (x86_64, aarch64), not Docker's amd64/arm64. */
export const EM = {
  NONE: 0,
  SPARC: 2,
  I386: 3,
  M68K: 4,
  MIPS: 8,
  PPC: 20,
  PPC64: 21,
  S390: 22,
  ARM: 40,
  SH: 42,
  SPARCV9: 43,
  IA64: 50,
  X86_64: 62,
  AARCH64: 183,
  RISCV: 243,
  BPF: 247,
  LOONGARCH: 258,
} as const;

export const MACHINE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [EM.NONE]: 'none',
  [EM.SPARC]: 'sparc',
  [EM.I386]: 'i386',
  [EM.M68K]: 'm68k',
  [EM.MIPS]: 'mips',
  [EM.PPC]: 'ppc',
  [EM.PPC64]: 'ppc64',
  [EM.S390]: 's390',
  [EM.ARM]: 'arm',
  [EM.SH]: 'sh',
  [EM.SPARCV9]: 'sparcv9',
  [EM.IA64]: 'ia64',
  [EM.X86_64]: 'x86_64',
  [EM.AARCH64]: 'aarch64',
  [EM.RISCV]: 'riscv',
  [EM.BPF]: 'bpf',
  [EM.LOONGARCH]: 'loongarch',
});

// Human-readable name for reports; unknown numbers stay visible instead of becoming 'unknown'.
export function machineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? `unknown(${machine})`;
}

// Reverse lookup so callers holding a name (e.g. from config) can compare against e_machine.
export function machineNumber(name: string): number | undefined {
  for (const [num, n] of Object.entries(MACHINE_NAMES)) if (n === name) return Number(num);
  return undefined;
}

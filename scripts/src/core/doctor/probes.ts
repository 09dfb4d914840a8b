// The C probes doctor runs: compile and link a tiny program with a platform's compiler, then read
// the result's ELF. A compiler that is present but cannot find libc headers (the
// libc6-dev-<arch>-cross trap) passes `which` and fails here, which is why doctor compiles.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyLinkage, parseElf } from '../../elf/index.ts';
import { CommandError, runStep } from '../exec/exec.ts';
import { removeQuietly } from '../fs.ts';
import type { Platform } from '../platform.ts';

export interface ProbeOutcome {
  readonly ok: boolean;
  /** One line: what was produced, or why it failed. */
  readonly detail: string;
  /** The compiler's stderr when it failed (to tell a missing header from a missing linker). */
  readonly stderr?: string;
}

// Includes stdio.h (glibc's bits/libc-header-start.h) and pthread.h, the headers -sys crates use.
export const PROBE_C = `#include <stdio.h>\n#include <pthread.h>\nstatic void *run(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, run, 0); pthread_join(t, 0); puts("ok"); return 0; }\n`;

// Compiles PROBE_C with `cc` (extra flags such as -static) and checks the output's ELF machine
// and, when `wantStatic`, that it has no interpreter and no shared libraries.
export async function probeCompiler(cc: string, platform: Platform, flags: readonly string[], wantStatic: boolean, signal?: AbortSignal): Promise<ProbeOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'build-static-doctor-'));
  try {
    await writeFile(join(dir, 'probe.c'), PROBE_C);
    const exe = join(dir, 'probe');
    try {
      await runStep({ argv: [cc, ...flags, '-o', exe, join(dir, 'probe.c'), '-lpthread'], cwd: dir }, { timeoutMs: 120_000, signal });
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      const first = error.stderr.split('\n').find((l) => /error|cannot find|No such file/.test(l))?.trim();
      return { ok: false, detail: first ?? error.message, stderr: error.stderr };
    }
    const elf = parseElf(new Uint8Array(await readFile(exe)));
    if (elf.machine !== platform.elfMachine) return { ok: false, detail: `produced ${elf.machineName}, expected ${platform.elfMachineName}` };
    const linkage = classifyLinkage(elf);
    if (wantStatic && linkage.kind === 'dynamic') return { ok: false, detail: `produced a dynamic executable (${linkage.interpreter ?? linkage.needed.join(', ')})` };
    return { ok: true, detail: `${platform.elfMachineName} ${linkage.kind} executable` };
  } finally {
    await removeQuietly(dir);
  }
}

// True when the compiler's stderr says libc's headers or crt files are missing (a -dev package).
export function missingLibcFiles(stderr: string): boolean {
  return /(bits\/libc-header-start\.h|stdio\.h|crt1\.o|crti\.o|-lc\b|cannot find -lpthread).*(No such file|not found|cannot find)|cannot find (crt1\.o|crti\.o|-lc\b)/.test(stderr);
}

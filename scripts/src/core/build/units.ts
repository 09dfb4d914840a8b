// What cargo compiled and what it found fresh, per platform, from its --message-format=json
// stream. Cargo prints "Compiling x" once per package however many targets it builds, so with one
// cargo for several platforms only the artefact paths (<target-dir>/<triple>/…) say which
// platform a unit was for; units without a triple in their path are host units (build scripts,
// proc-macros), shared by every platform of the step.
import type { Platform } from '../platform.ts';

export interface CargoUnit {
  /** Package name, from cargo's package id. */
  readonly package: string;
  readonly fresh: boolean;
  readonly filenames: readonly string[];
  /** Set for a binary target's unit. */
  readonly executable?: { readonly bin: string; readonly path: string };
}

interface ArtifactMessage {
  reason?: string;
  package_id?: string;
  target?: { name: string; kind: string[] };
  executable?: string | null;
  fresh?: boolean;
  filenames?: string[];
}

// One `compiler-artifact` line of cargo's JSON stream as a unit; anything else is undefined.
export function unitFromMessage(line: string): CargoUnit | undefined {
  if (!line.startsWith('{')) return undefined;
  let msg: ArtifactMessage;
  try {
    msg = JSON.parse(line) as ArtifactMessage;
  } catch {
    return undefined;
  }
  if (msg.reason !== 'compiler-artifact') return undefined;
  const executable = msg.executable && msg.target?.kind.includes('bin') ? { bin: msg.target.name, path: msg.executable } : undefined;
  return { package: packageName(msg.package_id ?? ''), fresh: msg.fresh === true, filenames: msg.filenames ?? [], ...(executable ? { executable } : {}) };
}

// `path+file:///x/y#name@1.0.0` or `registry+…#name@1.0.0` → `name` (cargo's package id spec).
export function packageName(id: string): string {
  const fragment = id.split('#')[1] ?? id;
  const at = fragment.lastIndexOf('@');
  const nameOrVersion = at >= 0 ? fragment.slice(0, at) : fragment;
  return /^[0-9]/.test(nameOrVersion) ? (id.split('#')[0]?.split('/').pop() ?? nameOrVersion) : nameOrVersion;
}

/** Packages compiled (sorted, each once) and the number of units cargo found fresh. */
export interface UnitTally {
  readonly compiled: string[];
  fresh: number;
}

// Counts units per platform (or 'host'): a cargo with one platform owns its host units too.
export class UnitCounter {
  readonly #tallies = new Map<string, UnitTally>();

  constructor(private readonly platforms: readonly Platform[]) {}

  // Which platform a path belongs to ('host' when a shared cargo built it for the host).
  platformOf(path: string): Platform | 'host' {
    const [only] = this.platforms;
    if (this.platforms.length === 1 && only) return only;
    const parts = path.split(/[\\/]/);
    return this.platforms.find((p) => parts.includes(p.triple)) ?? 'host';
  }

  add(unit: CargoUnit): void {
    const where = this.platformOf(unit.executable?.path ?? unit.filenames[0] ?? '');
    const key = where === 'host' ? 'host' : where.id;
    const tally = this.#tallies.get(key) ?? { compiled: [], fresh: 0 };
    this.#tallies.set(key, tally);
    if (unit.fresh) tally.fresh += 1;
    else if (!tally.compiled.includes(unit.package)) tally.compiled.push(unit.package);
  }

  tally(key: string): UnitTally {
    const t = this.#tallies.get(key) ?? { compiled: [], fresh: 0 };
    return { compiled: [...t.compiled].sort(), fresh: t.fresh };
  }
}

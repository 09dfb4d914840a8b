// Where the dynamic loader looks for a DT_NEEDED name, in glibc's order: the requester's DT_RPATH
// and its loaders' (only when the requester has no DT_RUNPATH), LD_LIBRARY_PATH, the requester's
// DT_RUNPATH, ld.so.cache, then the default and multiarch directories (both skipped under
// DF_1_NODEFLIB). `$ORIGIN`, `$LIB` and `$PLATFORM` are expanded per object.
import { posix } from 'node:path';
import { DF_1, EM, type Elf } from '../../elf/index.ts';

/** One loaded object: its path as the loader named it, the directory `$ORIGIN` means, its ELF. */
export interface LoadedObject {
  readonly path: string;
  readonly origin: string;
  readonly elf: Elf;
  /** The object that loaded it first (undefined for an executable). */
  readonly loader?: LoadedObject;
}

export interface SystemPaths {
  readonly ldLibraryPath: readonly string[];
  readonly cache: ReadonlyMap<string, readonly string[]>;
  readonly confDirs: readonly string[];
}

const ARCH: Record<number, { triple: string; platform: string; lib64: boolean }> = {
  [EM.X86_64]: { triple: 'x86_64-linux-gnu', platform: 'x86_64', lib64: true },
  [EM.AARCH64]: { triple: 'aarch64-linux-gnu', platform: 'aarch64', lib64: true },
  [EM.ARM]: { triple: 'arm-linux-gnueabihf', platform: 'v7l', lib64: false },
  [EM.I386]: { triple: 'i386-linux-gnu', platform: 'i686', lib64: false },
};

// The loader's built-in directories for this machine (Debian's multiarch ones first).
export function defaultDirs(elf: Elf): string[] {
  const a = ARCH[elf.machine];
  const multi = a ? [`/lib/${a.triple}`, `/usr/lib/${a.triple}`] : [];
  const lib64 = elf.class === 64 ? ['/lib64', '/usr/lib64'] : [];
  return [...multi, ...lib64, '/lib', '/usr/lib'];
}

// Expands $ORIGIN/${ORIGIN}, $LIB and $PLATFORM in one RPATH/RUNPATH entry.
export function expandTokens(dir: string, object: LoadedObject): string {
  const a = ARCH[object.elf.machine];
  return dir
    .replace(/\$(\{ORIGIN\}|ORIGIN\b)/g, object.origin)
    .replace(/\$(\{LIB\}|LIB\b)/g, a ? `lib/${a.triple}` : 'lib')
    .replace(/\$(\{PLATFORM\}|PLATFORM\b)/g, a?.platform ?? '');
}

/** A candidate path and which rule produced it (for error messages and the report). */
export interface Candidate {
  readonly path: string;
  readonly via: string;
}

// Every path the loader would try for `name` requested by `object`, in order.
export function candidates(name: string, object: LoadedObject, sys: SystemPaths): Candidate[] {
  if (name.includes('/')) return [{ path: posix.resolve(object.origin, name), via: 'path' }];
  const out: Candidate[] = [];
  const dirs = (list: readonly string[], owner: LoadedObject, via: string) => {
    for (const d of list) out.push({ path: posix.join(posix.resolve(owner.origin, expandTokens(d, owner)), name), via });
  };
  const runpath = object.elf.dynamic?.runpath ?? [];
  if (runpath.length === 0) {
    for (let o: LoadedObject | undefined = object; o; o = o.loader) if ((o.elf.dynamic?.runpath ?? []).length === 0) dirs(o.elf.dynamic?.rpath ?? [], o, `RPATH of ${o.path}`);
  }
  for (const d of sys.ldLibraryPath) out.push({ path: posix.join(d, name), via: 'LD_LIBRARY_PATH' });
  dirs(runpath, object, `RUNPATH of ${object.path}`);
  if ((object.elf.dynamic?.flags1 ?? 0) & DF_1.NODEFLIB) return out;
  for (const p of sys.cache.get(name) ?? []) out.push({ path: p, via: 'ld.so.cache' });
  for (const d of [...defaultDirs(object.elf), ...sys.confDirs]) out.push({ path: posix.join(d, name), via: 'default dirs' });
  return out;
}

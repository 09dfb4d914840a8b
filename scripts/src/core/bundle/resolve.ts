// The shared-library closure of one or more executables, as the glibc loader would compute it:
// the interpreter plus every DT_NEEDED, breadth first, each resolved with the requester's search
// path (search.ts). Objects are keyed by real path, so cycles and libraries shared by several
// executables are handled once. Only ELF files of the executable's class and machine match.
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { classifyLinkage, isElfError, readElfFile, type Elf } from '../../elf/index.ts';
import { walkPath } from './host-path.ts';
import { candidates, type LoadedObject, type SystemPaths } from './search.ts';

export interface Closure {
  /** Host paths as the loader names them (interpreter, then libraries), first-seen order. */
  readonly files: readonly string[];
  /** soname → the path it resolved to, per requesting object (for the report). */
  readonly resolved: ReadonlyArray<{ name: string; path: string; via: string; by: string }>;
}

// Reads an ELF and turns reader errors into ELF_INVALID naming the path.
export async function readElf(path: string): Promise<Elf> {
  try {
    return (await readElfFile(path)).elf;
  } catch (error) {
    if (isElfError(error)) throw new BuildStaticError('ELF_INVALID', `${(error as Error).message}: bundle needs an ELF executable or library`, { cause: error });
    throw error;
  }
}

async function matching(path: string, like: Elf): Promise<Elf | undefined> {
  try {
    const elf = (await readElfFile(path)).elf;
    return elf.class === like.class && elf.machine === like.machine ? elf : undefined;
  } catch {
    return undefined;
  }
}

// Resolves the closure of `roots` (executables, or libraries found by --dynamic or --nss).
// `dlopened` names are looked up as the first root would (NSS modules); missing ones are skipped,
// as glibc skips an absent NSS service.
export async function resolveClosure(roots: readonly string[], sys: SystemPaths, dlopened: readonly string[] = []): Promise<Closure> {
  const files: string[] = [];
  const resolved: Array<{ name: string; path: string; via: string; by: string }> = [];
  const byReal = new Map<string, LoadedObject>();
  const queue: Array<{ object: LoadedObject; names: readonly string[]; optional?: boolean }> = [];
  const add = async (path: string, elf: Elf, loader?: LoadedObject): Promise<LoadedObject> => {
    const { real } = await walkPath(path);
    const known = byReal.get(real);
    if (known) return known;
    const object: LoadedObject = { path, origin: posix.dirname(loader ? path : real), elf, ...(loader ? { loader } : {}) };
    byReal.set(real, object);
    files.push(path);
    queue.push({ object, names: elf.dynamic?.needed ?? [] });
    return object;
  };
  for (const [i, root] of roots.entries()) {
    const elf = await readElf(root);
    const object = await add(root, elf);
    const interp = classifyLinkage(elf).interpreter;
    if (interp && !byReal.has((await walkPath(interp).catch(() => ({ real: '' }))).real)) {
      const interpElf = await matching(interp, elf);
      if (!interpElf) throw new BuildStaticError('LIBRARY_MISSING', `${root} needs the loader ${interp}, which is missing or not a ${elf.machineName} ELF: install its libc`);
      files.push(interp);
      byReal.set((await walkPath(interp)).real, { path: interp, origin: posix.dirname(interp), elf: interpElf });
    }
    if (i === 0 && dlopened.length > 0) queue.push({ object, names: dlopened, optional: true });
  }
  while (queue.length > 0) {
    const { object, names, optional } = queue.shift()!;
    for (const name of names) {
      let found: { path: string; via: string; elf: Elf } | undefined;
      const tried = candidates(name, object, sys);
      for (const c of tried) {
        const elf = await matching(c.path, object.elf);
        if (elf) {
          found = { path: c.path, via: c.via, elf };
          break;
        }
      }
      if (!found && optional) continue;
      if (!found) {
        const dirs = [...new Set(tried.map((c) => posix.dirname(c.path)))].slice(0, 6).join(', ');
        throw new BuildStaticError('LIBRARY_MISSING', `${object.path} needs ${name}, which is not in ${dirs}${tried.length > 6 ? ', …' : ''} (RPATH, LD_LIBRARY_PATH, RUNPATH, ld.so.cache, default dirs): install it or set LD_LIBRARY_PATH`);
      }
      resolved.push({ name, path: found.path, via: found.via, by: object.path });
      await add(found.path, found.elf, object);
    }
  }
  return { files, resolved };
}

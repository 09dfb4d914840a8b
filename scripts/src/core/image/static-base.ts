// The static base stand-in made from this machine's Debian packages: the CA bundle Debian's
// ca-certificates generates, every /usr/share/zoneinfo path tzdata's dpkg file list names, and
// both package versions from dpkg's status file (all architecture-independent, so one tree serves
// every platform), read with node:fs and handed to oci's assembleStaticBase as plain files.
import { lstat, readFile, readlink } from 'node:fs/promises';
import {
  assembleStaticBase,
  serializeIndex,
  writeLayout,
  type Digest,
  type Index,
  type StaticBaseFiles,
  type StaticBaseOptions,
  type TarEntry,
} from '../../oci/index.ts';
import { invalid, ioError } from '../../oci/errors.ts';
import { platformDigests } from './outputs.ts';

export interface HostPaths {
  /** The CA bundle Debian's ca-certificates generates. */
  readonly caBundle: string;
  /** dpkg's file list of tzdata (what `dpkg -L tzdata` prints). */
  readonly tzdataList: string;
  /** dpkg's status database, for the package versions recorded in the image. */
  readonly dpkgStatus: string;
}

export const DEBIAN_PATHS: HostPaths = {
  caBundle: '/etc/ssl/certs/ca-certificates.crt',
  tzdataList: '/var/lib/dpkg/info/tzdata.list',
  dpkgStatus: '/var/lib/dpkg/status',
};

export interface DebianStaticBaseOptions extends StaticBaseOptions {
  readonly paths?: HostPaths;
}

async function read(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw ioError(`read ${path} (is the Debian package installed?)`, error);
  }
}

// The installed version of a Debian package, from dpkg's status file.
export async function debianVersion(statusFile: string, pkg: string): Promise<string> {
  const status = new TextDecoder().decode(await read(statusFile));
  const stanzas = status.split(/\n\n+/);
  const stanza = stanzas.find((s) => s.startsWith(`Package: ${pkg}\n`) && /^Status: .* installed$/m.test(s));
  const version = stanza?.match(/^Version: (.+)$/m)?.[1];
  if (!version) throw invalid(`Debian package ${pkg} is not installed (apt-get install ${pkg})`);
  return version;
}

// /usr/share/zoneinfo as tar entries: files 0644, directories 0755, symlinks kept, all root-owned.
export async function zoneinfoEntries(tzdataList: string): Promise<TarEntry[]> {
  const listed = new TextDecoder().decode(await read(tzdataList)).split('\n');
  const list = listed.filter((p) => p.startsWith('/usr/share/zoneinfo/'));
  if (list.length === 0) throw invalid(`${tzdataList} lists no /usr/share/zoneinfo files (reinstall tzdata)`);
  const entries: TarEntry[] = [];
  for (const path of list.sort()) {
    const st = await lstat(path).catch((error: unknown) => {
      throw ioError(`stat ${path}`, error);
    });
    if (st.isSymbolicLink()) entries.push({ type: 'symlink', path, target: await readlink(path) });
    else if (st.isDirectory()) entries.push({ type: 'dir', path, mode: 0o755 });
    else if (st.isFile()) entries.push({ type: 'file', path, data: await read(path), mode: 0o644 });
  }
  return entries;
}

// The base's files from the host's Debian packages.
export async function debianStaticBaseFiles(paths: HostPaths = DEBIAN_PATHS): Promise<StaticBaseFiles> {
  const versions = {
    tzdata: await debianVersion(paths.dpkgStatus, 'tzdata'),
    caCertificates: await debianVersion(paths.dpkgStatus, 'ca-certificates'),
  };
  return { caBundle: await read(paths.caBundle), zoneinfo: await zoneinfoEntries(paths.tzdataList), versions };
}

// The base as an image index value (nothing written yet).
export async function staticBaseIndex(options: DebianStaticBaseOptions = {}): Promise<Index> {
  return assembleStaticBase(await debianStaticBaseFiles(options.paths), options);
}

// Builds the base and writes it as an OCI layout at `out` (tag "latest"); returns the digests.
export async function buildStaticBase(
  out: string,
  options: DebianStaticBaseOptions & { tag?: string } = {},
): Promise<{ index: Digest; manifests: Record<string, Digest> }> {
  const index = await staticBaseIndex(options);
  await writeLayout(out, index, { tag: options.tag ?? 'latest' });
  return { index: serializeIndex(index).digest, manifests: platformDigests(index) };
}

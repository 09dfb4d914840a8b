// The file tree of the static base (a stand-in for cgr.dev/chainguard/static): users root,
// nobody and nonroot, a CA bundle, tzdata, os-release and a sticky /tmp — no shell and nothing
// executable. CA and tzdata files come from this machine's Debian packages (architecture-independent,
// so one tree serves every platform), found through dpkg's file lists and read with node:fs.
import { lstat, readFile, readlink } from 'node:fs/promises';
import { invalid, ioError } from '../errors.ts';
import type { TarEntry } from '../tar.ts';

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

export const NONROOT = { uid: 65532, gid: 65532, name: 'nonroot', home: '/home/nonroot' } as const;

const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n';
const text = (s: string) => new TextEncoder().encode(s);

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
  const stanza = status.split(/\n\n+/).find((s) => s.startsWith(`Package: ${pkg}\n`) && /^Status: .* installed$/m.test(s));
  const version = stanza?.match(/^Version: (.+)$/m)?.[1];
  if (!version) throw invalid(`Debian package ${pkg} is not installed (apt-get install ${pkg})`);
  return version;
}

// /usr/share/zoneinfo as tar entries: files 0644, directories 0755, symlinks kept, all root-owned.
export async function zoneinfoEntries(tzdataList: string): Promise<TarEntry[]> {
  const list = new TextDecoder().decode(await read(tzdataList)).split('\n').filter((p) => p.startsWith('/usr/share/zoneinfo/'));
  if (list.length === 0) throw invalid(`${tzdataList} lists no /usr/share/zoneinfo files (reinstall tzdata)`);
  const entries: TarEntry[] = [];
  for (const path of list.sort()) {
    const st = await lstat(path).catch((error: unknown) => { throw ioError(`stat ${path}`, error); });
    if (st.isSymbolicLink()) entries.push({ type: 'symlink', path, target: await readlink(path) });
    else if (st.isDirectory()) entries.push({ type: 'dir', path, mode: 0o755 });
    else if (st.isFile()) entries.push({ type: 'file', path, data: await read(path), mode: 0o644 });
  }
  return entries;
}

// os-release naming the stand-in and the Debian package versions it was made from.
export function osRelease(versions: { tzdata: string; caCertificates: string }): string {
  return [
    'ID=build-static-static-base',
    'NAME="build-static static base"',
    `PRETTY_NAME="build-static static base (stand-in for cgr.dev/chainguard/static; tzdata ${versions.tzdata}, ca-certificates ${versions.caCertificates})"`,
    'VERSION_ID=1',
    '',
  ].join('\n');
}

// Every entry of the base's single layer.
export async function staticBaseEntries(paths: HostPaths = DEBIAN_PATHS): Promise<{ entries: TarEntry[]; versions: { tzdata: string; caCertificates: string } }> {
  const versions = { tzdata: await debianVersion(paths.dpkgStatus, 'tzdata'), caCertificates: await debianVersion(paths.dpkgStatus, 'ca-certificates') };
  const entries: TarEntry[] = [
    { type: 'file', path: 'etc/passwd', data: text(PASSWD), mode: 0o644 },
    { type: 'file', path: 'etc/group', data: text(GROUP), mode: 0o644 },
    { type: 'file', path: 'etc/nsswitch.conf', data: text('passwd: files\ngroup: files\nhosts: files dns\n'), mode: 0o644 },
    { type: 'file', path: 'etc/os-release', data: text(osRelease(versions)), mode: 0o644 },
    { type: 'file', path: 'etc/ssl/certs/ca-certificates.crt', data: await read(paths.caBundle), mode: 0o644 },
    { type: 'symlink', path: 'etc/ssl/cert.pem', target: 'certs/ca-certificates.crt' },
    { type: 'dir', path: 'home/nonroot', mode: 0o755, uid: NONROOT.uid, gid: NONROOT.gid },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    ...(await zoneinfoEntries(paths.tzdataList)),
  ];
  return { entries, versions };
}

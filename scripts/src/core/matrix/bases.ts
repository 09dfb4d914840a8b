// The run axis of the matrix: base roots made from this machine's Debian packages (no registry
// is reachable), each named after the public image it stands in for and mapped to the inspect
// verdict that predicts it. A base is a list of host files and the image path each lands on.
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import type { TarEntry } from '../../oci/index.ts';
import type { RunImage } from '../inspect/verdicts.ts';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';

export type BaseName = 'scratch' | 'static' | 'musl' | 'musl+libgcc' | 'distroless-cc' | 'debian-slim';
export type MatrixArch = 'amd64' | 'arm64';

export interface RunBase {
  readonly name: BaseName;
  /** What it stands in for, for the table and chart. */
  readonly standsFor: string;
  /** The inspect verdict whose `ok` predicts a run on this base. */
  readonly predictedBy: RunImage;
  /** Debian packages whose library files the root holds (dpkg -L, /usr/share skipped). */
  readonly packages: readonly string[];
  readonly caCertificates: boolean;
  readonly passwd: boolean;
  /** Carries the libgcc_s.so.1 stand-in at /usr/lib (Alpine's `apk add libgcc`). */
  readonly libgcc?: boolean;
}

export const RUN_BASES: readonly RunBase[] = [
  { name: 'scratch', standsFor: 'FROM scratch', predictedBy: 'scratch', packages: [], caCertificates: false, passwd: false },
  { name: 'static', standsFor: 'chainguard/static', predictedBy: 'scratch', packages: [], caCertificates: true, passwd: true },
  { name: 'musl', standsFor: 'alpine (musl loader + libc)', predictedBy: 'alpine', packages: ['musl'], caCertificates: true, passwd: true },
  { name: 'musl+libgcc', standsFor: 'alpine + apk add libgcc', predictedBy: 'alpine+libgcc', packages: ['musl'], caCertificates: true, passwd: true, libgcc: true },
  { name: 'distroless-cc', standsFor: 'distroless/cc (glibc + libgcc_s)', predictedBy: 'distroless-cc', packages: ['libc6', 'libgcc-s1'], caCertificates: true, passwd: true },
  { name: 'debian-slim', standsFor: 'debian:12-slim (glibc, libgcc_s, libstdc++)', predictedBy: 'debian-slim', packages: ['libc6', 'libgcc-s1', 'libstdc++6'], caCertificates: true, passwd: true },
];

export const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
export const GROUP = 'root:x:0:\nnonroot:x:65532:\n';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

// Debian's cross packages hold arm64 glibc under /usr/aarch64-linux-gnu/lib (setup.sh installs
// them with the cross gcc); in the image they belong where an arm64 Debian keeps them.
const CROSS: Record<string, string> = { libc6: 'libc6-arm64-cross', 'libgcc-s1': 'libgcc-s1-arm64-cross', 'libstdc++6': 'libstdc++6-arm64-cross' };
const CROSS_LIB = '/usr/aarch64-linux-gnu/lib/';
const HOST_ARCH: MatrixArch = process.arch === 'arm64' ? 'arm64' : 'amd64';

// The image path of a cross package's file (the loader in /lib, libraries in /lib/aarch64-linux-gnu).
export function crossImagePath(host: string): string {
  const name = host.slice(CROSS_LIB.length);
  return name.startsWith('ld-linux-') ? `/lib/${name}` : `/lib/aarch64-linux-gnu/${name}`;
}

async function dpkgList(name: string): Promise<string[] | undefined> {
  const text = await readFile(`/var/lib/dpkg/info/${name}.list`, 'utf8').catch(() => undefined);
  return text?.split('\n').filter((p) => p.startsWith('/') && !p.startsWith('/usr/share/'));
}

// The files of a package for one architecture as [host path, image path]: the multi-arch package
// itself when installed, else (arm64 glibc) the cross package's libraries moved to their real paths.
async function packageFiles(pkg: string, arch: MatrixArch): Promise<Array<[string, string]>> {
  for (const name of [`${pkg}:${arch}`, pkg]) {
    const list = await dpkgList(name);
    if (list && (name.includes(':') || arch === HOST_ARCH)) return list.map((p) => [p, p]);
  }
  const cross = arch === 'arm64' ? CROSS[pkg] : undefined;
  const list = cross ? await dpkgList(cross) : undefined;
  if (list) return list.filter((p) => p.startsWith(CROSS_LIB)).map((p) => [p, crossImagePath(p)]);
  const fix = cross ? `apt-get install ${cross}` : `apt-get install ${pkg}:${arch}`;
  throw new BuildStaticError('TOOL_MISSING', `matrix base needs the Debian package ${pkg}:${arch}: ${fix}`);
}

export const LIBGCC_IMAGE_PATH = '/usr/lib/libgcc_s.so.1';

// The base's files as tar entries (sorted, root-owned), read from the host; `libgcc` is the
// stand-in libgcc_s.so.1 for this architecture (required by bases that carry it).
export async function baseEntries(base: RunBase, arch: MatrixArch, libgcc?: string): Promise<TarEntry[]> {
  const entries = new Map<string, TarEntry>();
  for (const pkg of base.packages) {
    for (const [host, path] of await packageFiles(pkg, arch)) {
      // Debian's musl reads /etc/ld-musl-ARCH.path (its multiarch dirs) before anything else;
      // Alpine has no such file, so its loader searches /lib:/usr/local/lib:/usr/lib, where
      // `apk add libgcc` puts libgcc_s. Dropping Debian's file makes the root behave like Alpine.
      if (path.startsWith('/etc/ld-musl-')) continue;
      const st = await lstat(host).catch(() => undefined);
      // Directories (and merged-usr links like /lib -> usr/lib) come from the files' own paths.
      if (!st || st.isDirectory() || (st.isSymbolicLink() && (await stat(host).catch(() => undefined))?.isDirectory() !== false)) continue;
      if (st.isSymbolicLink()) entries.set(path, { type: 'symlink', path, target: await readlink(host) });
      else if (st.isFile()) entries.set(path, { type: 'file', path, data: new Uint8Array(await readFile(host)), mode: st.mode & 0o777 });
    }
  }
  if (base.libgcc) {
    if (!libgcc) throw new BuildStaticError('TOOL_MISSING', `the ${base.name} base needs the libgcc_s.so.1 stand-in for ${arch}; matrix builds it before the runs`);
    entries.set(LIBGCC_IMAGE_PATH, { type: 'file', path: LIBGCC_IMAGE_PATH, data: new Uint8Array(await readFile(libgcc)), mode: 0o755 });
  }
  if (base.caCertificates) entries.set(CA_BUNDLE, { type: 'file', path: CA_BUNDLE, data: new Uint8Array(await readFile(CA_BUNDLE)), mode: 0o644 });
  if (base.passwd) {
    entries.set('/etc/passwd', { type: 'file', path: '/etc/passwd', data: new TextEncoder().encode(PASSWD), mode: 0o644 });
    entries.set('/etc/group', { type: 'file', path: '/etc/group', data: new TextEncoder().encode(GROUP), mode: 0o644 });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

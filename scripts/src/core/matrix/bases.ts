// The run axis of the matrix: base roots made from this machine's Debian packages (no registry
// is reachable), each named after the public image it stands in for and mapped to the inspect
// verdict that predicts it. A base is a list of host files and the image path each lands on.
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import type { TarEntry } from '../../oci/index.ts';
import type { RunImage } from '../inspect/verdicts.ts';
import { BuildStaticError } from '../../errors.ts';

export type BaseName = 'scratch' | 'static' | 'musl' | 'distroless-cc' | 'debian-slim';
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
}

export const RUN_BASES: readonly RunBase[] = [
  { name: 'scratch', standsFor: 'FROM scratch', predictedBy: 'scratch', packages: [], caCertificates: false, passwd: false },
  { name: 'static', standsFor: 'chainguard/static', predictedBy: 'scratch', packages: [], caCertificates: true, passwd: true },
  { name: 'musl', standsFor: 'alpine (musl loader + libc)', predictedBy: 'alpine', packages: ['musl'], caCertificates: true, passwd: true },
  { name: 'distroless-cc', standsFor: 'distroless/cc (glibc + libgcc_s)', predictedBy: 'distroless-cc', packages: ['libc6', 'libgcc-s1'], caCertificates: true, passwd: true },
  { name: 'debian-slim', standsFor: 'debian:12-slim (glibc, libgcc_s, libstdc++)', predictedBy: 'debian-slim', packages: ['libc6', 'libgcc-s1', 'libstdc++6'], caCertificates: true, passwd: true },
];

export const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
export const GROUP = 'root:x:0:\nnonroot:x:65532:\n';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

// The dpkg file list of a package for one architecture (multi-arch names first).
async function packageFiles(pkg: string, arch: MatrixArch): Promise<string[]> {
  for (const name of [`${pkg}:${arch}`, pkg]) {
    const text = await readFile(`/var/lib/dpkg/info/${name}.list`, 'utf8').catch(() => undefined);
    if (text !== undefined) return text.split('\n').filter((p) => p.startsWith('/') && !p.startsWith('/usr/share/'));
  }
  throw new BuildStaticError('TOOL_MISSING', `matrix base needs the Debian package ${pkg}:${arch}: apt-get install ${pkg}:${arch}`);
}

// The base's files as tar entries (sorted, root-owned), read from the host.
export async function baseEntries(base: RunBase, arch: MatrixArch): Promise<TarEntry[]> {
  const entries = new Map<string, TarEntry>();
  for (const pkg of base.packages) {
    for (const path of await packageFiles(pkg, arch)) {
      const st = await lstat(path).catch(() => undefined);
      // Directories (and merged-usr links like /lib -> usr/lib) come from the files' own paths.
      if (!st || st.isDirectory() || (st.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory() !== false)) continue;
      if (st.isSymbolicLink()) entries.set(path, { type: 'symlink', path, target: await readlink(path) });
      else if (st.isFile()) entries.set(path, { type: 'file', path, data: new Uint8Array(await readFile(path)), mode: st.mode & 0o777 });
    }
  }
  if (base.caCertificates) entries.set(CA_BUNDLE, { type: 'file', path: CA_BUNDLE, data: new Uint8Array(await readFile(CA_BUNDLE)), mode: 0o644 });
  if (base.passwd) {
    entries.set('/etc/passwd', { type: 'file', path: '/etc/passwd', data: new TextEncoder().encode(PASSWD), mode: 0o644 });
    entries.set('/etc/group', { type: 'file', path: '/etc/group', data: new TextEncoder().encode(GROUP), mode: 0o644 });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

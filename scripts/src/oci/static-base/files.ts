// The file tree of the static base (a stand-in for cgr.dev/chainguard/static): users root,
// nobody and nonroot, a CA bundle, tzdata, os-release and a sticky /tmp — no shell and nothing
// executable. Pure: the caller hands in the CA bundle and the zoneinfo entries (core reads them
// from the host's distribution packages); nothing here knows where they came from.
import type { TarEntry } from '../tar.ts';

export interface StaticBaseFiles {
  /** The PEM CA bundle, installed at /etc/ssl/certs/ca-certificates.crt. */
  readonly caBundle: Uint8Array;
  /** /usr/share/zoneinfo as tar entries (absolute or relative paths). */
  readonly zoneinfo: readonly TarEntry[];
  /** Versions of the tzdata and CA sets, recorded in os-release and the image version. */
  readonly versions: { readonly tzdata: string; readonly caCertificates: string };
}

export const NONROOT = { uid: 65532, gid: 65532, name: 'nonroot', home: '/home/nonroot' } as const;

const PASSWD =
  'root:x:0:0:root:/root:/sbin/nologin\n' +
  'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' +
  'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n';
const text = (s: string) => new TextEncoder().encode(s);

// os-release naming the stand-in and the tzdata and CA versions it was made from.
export function osRelease(versions: StaticBaseFiles['versions']): string {
  const made = `tzdata ${versions.tzdata}, ca-certificates ${versions.caCertificates}`;
  return [
    'ID=build-static-static-base',
    'NAME="build-static static base"',
    `PRETTY_NAME="build-static static base (stand-in for cgr.dev/chainguard/static; ${made})"`,
    'VERSION_ID=1',
    '',
  ].join('\n');
}

// Every entry of the base's single layer.
export function staticBaseEntries(files: StaticBaseFiles): TarEntry[] {
  return [
    { type: 'file', path: 'etc/passwd', data: text(PASSWD), mode: 0o644 },
    { type: 'file', path: 'etc/group', data: text(GROUP), mode: 0o644 },
    { type: 'file', path: 'etc/nsswitch.conf', data: text('passwd: files\ngroup: files\nhosts: files dns\n'), mode: 0o644 },
    { type: 'file', path: 'etc/os-release', data: text(osRelease(files.versions)), mode: 0o644 },
    { type: 'file', path: 'etc/ssl/certs/ca-certificates.crt', data: files.caBundle, mode: 0o644 },
    { type: 'symlink', path: 'etc/ssl/cert.pem', target: 'certs/ca-certificates.crt' },
    { type: 'dir', path: 'home/nonroot', mode: 0o755, uid: NONROOT.uid, gid: NONROOT.gid },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    ...files.zoneinfo,
  ];
}

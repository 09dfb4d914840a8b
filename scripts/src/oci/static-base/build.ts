// Builds the static base stand-in as an OCI layout with one image per platform. The layer is the
// same for every platform (it holds no machine code), so the blobs are shared and only the
// configs differ. Deterministic: same Debian package files and epoch → same bytes and digests.
import { emptyImage, serializeImage, type Image } from '../image.ts';
import { imageIndex, serializeIndex, type Index } from '../image-index.ts';
import { layerFromEntries } from '../layer.ts';
import { writeLayout } from '../layout.ts';
import { annotate, appendLayers, configure, setCreated } from '../mutate.ts';
import type { Digest, OciPlatform } from '../types.ts';
import { DEBIAN_PATHS, NONROOT, staticBaseEntries, type HostPaths } from './files.ts';

export interface StaticBaseOptions {
  /** Seconds since 1970 for mtimes and `created` (SOURCE_DATE_EPOCH; default 0). */
  readonly epoch?: number;
  readonly platforms?: readonly OciPlatform[];
  readonly paths?: HostPaths;
}

export const STATIC_BASE_PLATFORMS: readonly OciPlatform[] = [
  { architecture: 'amd64', os: 'linux' },
  { architecture: 'arm64', os: 'linux' },
];

export const STATIC_BASE_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
} as const;

// The base as an image index value (nothing written yet).
export async function staticBaseIndex(options: StaticBaseOptions = {}): Promise<Index> {
  const epoch = options.epoch ?? 0;
  const { entries, versions } = await staticBaseEntries(options.paths ?? DEBIAN_PATHS);
  const layer = await layerFromEntries(entries, { epoch });
  const annotations = {
    'org.opencontainers.image.title': 'static-base',
    'org.opencontainers.image.description': 'build-static stand-in for cgr.dev/chainguard/static: passwd/group, CA bundle, tzdata, no shell',
    'org.opencontainers.image.version': `tzdata-${versions.tzdata}_ca-certificates-${versions.caCertificates}`,
  };
  const images: Image[] = (options.platforms ?? STATIC_BASE_PLATFORMS).map((platform) => {
    let image = appendLayers(emptyImage(platform), [layer], { createdBy: 'build-static static-base: passwd, group, os-release, ca-certificates, tzdata', epoch });
    image = configure(image, { user: String(NONROOT.uid), env: STATIC_BASE_ENV, labels: annotations });
    return annotate(setCreated(image, epoch), annotations);
  });
  return imageIndex(images, annotations);
}

// Builds the base and writes it as an OCI layout at `out` (tag "latest"); returns the digests.
export async function buildStaticBase(out: string, options: StaticBaseOptions & { tag?: string } = {}): Promise<{ index: Digest; manifests: Record<string, Digest> }> {
  const index = await staticBaseIndex(options);
  await writeLayout(out, index, { tag: options.tag ?? 'latest' });
  const manifests = Object.fromEntries(index.images.map((image) => {
    const s = serializeImage(image);
    return [`${s.platform.os}/${s.platform.architecture}`, s.digest];
  }));
  return { index: serializeIndex(index).digest, manifests };
}

// Assembles the static base stand-in as an image index with one image per platform. The layer is
// the same for every platform (it holds no machine code), so the blobs are shared and only the
// configs differ. Deterministic: same files and epoch → same bytes and digests.
import { emptyImage, type Image } from '../image.ts';
import { imageIndex, type Index } from '../image-index.ts';
import { layerFromEntries } from '../layer.ts';
import { annotate, appendLayers, configure, setCreated } from '../mutate.ts';
import type { OciPlatform } from '../types.ts';
import { NONROOT, staticBaseEntries, type StaticBaseFiles } from './files.ts';

export interface StaticBaseOptions {
  /** Seconds since 1970 for mtimes and `created` (SOURCE_DATE_EPOCH; default 0). */
  readonly epoch?: number;
  readonly platforms?: readonly OciPlatform[];
}

export const STATIC_BASE_PLATFORMS: readonly OciPlatform[] = [
  { architecture: 'amd64', os: 'linux' },
  { architecture: 'arm64', os: 'linux' },
];

export const STATIC_BASE_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
} as const;

const DESCRIPTION = 'build-static stand-in for cgr.dev/chainguard/static: passwd/group, CA bundle, tzdata, no shell';
const CREATED_BY = 'build-static static-base: passwd, group, os-release, ca-certificates, tzdata';

// The base as an image index value made from the given files (nothing written yet).
export async function assembleStaticBase(files: StaticBaseFiles, options: StaticBaseOptions = {}): Promise<Index> {
  const epoch = options.epoch ?? 0;
  const layer = await layerFromEntries(staticBaseEntries(files), { epoch });
  const { tzdata, caCertificates } = files.versions;
  const annotations = {
    'org.opencontainers.image.title': 'static-base',
    'org.opencontainers.image.description': DESCRIPTION,
    'org.opencontainers.image.version': `tzdata-${tzdata}_ca-certificates-${caCertificates}`,
  };
  const images: Image[] = (options.platforms ?? STATIC_BASE_PLATFORMS).map((platform) => {
    let image = appendLayers(emptyImage(platform), [layer], { createdBy: CREATED_BY, epoch });
    image = configure(image, { user: String(NONROOT.uid), env: STATIC_BASE_ENV, labels: annotations });
    return annotate(setCreated(image, epoch), annotations);
  });
  return imageIndex(images, annotations);
}

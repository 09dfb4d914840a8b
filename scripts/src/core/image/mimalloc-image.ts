// The `images/mimalloc` image: mimalloc's LD_PRELOAD libraries for other images to copy in —
// FROM scratch, one index over linux/amd64 and linux/arm64, one deterministic layer per platform
// holding MIMALLOC_LIB_DIR/{libmimalloc.so,libmimalloc-secure.so} (glibc builds) and mimalloc's
// MIT licence. Same sources, compiler and epoch → same bytes and digests.
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import process from 'node:process';
import { compareVersions, glibcFloor, parseGlibcVersion } from '../../elf/index.ts';
import {
  annotate,
  appendLayers,
  configure,
  emptyImage,
  imageIndex,
  layerFromEntries,
  serializeIndex,
  setCreated,
  type Digest,
  type Image,
  type Index,
  type TarEntry,
} from '../../oci/index.ts';
import { parseReference } from '../../oci/registry/index.ts';
import { PLATFORMS, type Platform } from '../platform.ts';
import { MIMALLOC_SYS_VERSION } from '../toolchain/mimalloc.ts';
import { MIMALLOC_LIB_DIR, buildSharedMimalloc, type SharedMimalloc } from '../toolchain/mimalloc-shared.ts';
import { platformDigests, pushOutput, writeLayoutOutput } from './outputs.ts';

export const MIMALLOC_IMAGE_ENV = {
  MIMALLOC_LD_PRELOAD: posix.join(MIMALLOC_LIB_DIR, 'libmimalloc.so'),
  MIMALLOC_SECURE_LD_PRELOAD: posix.join(MIMALLOC_LIB_DIR, 'libmimalloc-secure.so'),
} as const;

export interface MimallocImageOptions {
  /** Seconds since 1970 for mtimes and `created` (SOURCE_DATE_EPOCH; default 0). */
  readonly epoch?: number;
  readonly platforms?: readonly Platform[];
  readonly env?: NodeJS.ProcessEnv;
}

export interface MimallocImage {
  readonly index: Index;
  readonly version: string;
  readonly libraries: readonly SharedMimalloc[];
}

function labels(version: string, floor: string): Record<string, string> {
  return {
    'org.opencontainers.image.title': 'mimalloc',
    'org.opencontainers.image.description': `mimalloc ${version} for LD_PRELOAD: COPY --from=<this> ${MIMALLOC_LIB_DIR}/ ${MIMALLOC_LIB_DIR}/ then ENV LD_PRELOAD=${MIMALLOC_IMAGE_ENV.MIMALLOC_LD_PRELOAD} (or libmimalloc-secure.so); needs glibc >= ${floor}`,
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.licenses': 'MIT',
    'org.opencontainers.image.vendor': 'build-static',
    'dev.build-static.mimalloc.version': version,
    'dev.build-static.mimalloc.sources': `libmimalloc-sys ${MIMALLOC_SYS_VERSION}`,
    'dev.build-static.mimalloc.glibc-floor': floor,
  };
}

// Builds the libraries and assembles the index (nothing written yet).
export async function mimallocImageIndex(options: MimallocImageOptions = {}): Promise<MimallocImage> {
  const env = options.env ?? process.env;
  const epoch = options.epoch ?? 0;
  const libraries: SharedMimalloc[] = [];
  const perPlatform: Array<[Platform, SharedMimalloc[]]> = [];
  for (const platform of options.platforms ?? PLATFORMS) {
    const libs = await Promise.all(
      (['mimalloc', 'mimalloc-secure'] as const).map((flavor) => buildSharedMimalloc(platform, flavor, { env })),
    );
    libraries.push(...libs);
    perPlatform.push([platform, libs]);
  }
  const version = libraries[0]!.version;
  const license = new Uint8Array(await readFile(join(libraries[0]!.sources, 'LICENSE')));
  const floors = libraries.map((l) => parseGlibcVersion(glibcFloor(l.elf) ?? 'GLIBC_2.17')!).sort(compareVersions);
  const floor = floors.at(-1)!.join('.');
  const meta = labels(version, floor);
  const images: Image[] = [];
  for (const [platform, libs] of perPlatform) {
    const entries: TarEntry[] = [
      { type: 'dir', path: MIMALLOC_LIB_DIR, mode: 0o755 },
      ...(await Promise.all(
        libs.map(async (l): Promise<TarEntry> => ({
          type: 'file',
          path: posix.join(MIMALLOC_LIB_DIR, l.fileName),
          mode: 0o644,
          data: new Uint8Array(await readFile(l.path)),
        })),
      )),
      { type: 'file', path: '/usr/share/doc/mimalloc/LICENSE', mode: 0o644, data: license },
    ];
    const layer = await layerFromEntries(entries, { epoch });
    let image = appendLayers(emptyImage({ os: 'linux', architecture: platform.arch }), [layer], {
      createdBy: `build-static images/mimalloc: mimalloc ${version} (${platform.id}, glibc)`,
      epoch,
    });
    image = configure(image, { env: MIMALLOC_IMAGE_ENV, labels: meta });
    images.push(annotate(setCreated(image, epoch), meta));
  }
  return { index: imageIndex(images, meta), version, libraries };
}

export interface MimallocImageResult {
  readonly version: string;
  readonly index: Digest;
  readonly manifests: Record<string, Digest>;
  readonly layout: string;
  readonly tag: string;
  readonly pushed?: { readonly ref: string; readonly digest: string };
}

// Builds the image, writes it as an OCI layout at `out` (tagged), and pushes it when asked.
export async function buildMimallocImage(
  out: string,
  options: MimallocImageOptions & { tag?: string; push?: string; insecureRegistries?: readonly string[] } = {},
): Promise<MimallocImageResult> {
  if (options.push) parseReference(options.push); // a bad reference fails before anything is built
  const { index, version } = await mimallocImageIndex(options);
  const tag = options.tag ?? 'latest';
  await writeLayoutOutput(out, index, tag);
  const manifests = platformDigests(index);
  const result: MimallocImageResult = { version, index: serializeIndex(index).digest, manifests, layout: out, tag };
  if (!options.push) return result;
  const pushed = await pushOutput(index, options.push, {
    ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}),
  });
  return { ...result, pushed: { ref: options.push, digest: pushed.digest } };
}

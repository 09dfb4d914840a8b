// Turns stored manifests back into image values: from a layout directory or from any BlobSource
// (the registry client's). Manifests and configs are fetched and verified now; layer bytes stay
// where they are until a writer asks. Docker v2 manifests are accepted (their gzip layers are the
// same bytes as OCI's and are re-labelled with the OCI media type when the image is mutated).
import { fetchVerified, parseJsonBlob, type BlobSource } from './blob-source.ts';
import { invalid } from './errors.ts';
import { platformKey, type Image, type ImageLayer } from './image.ts';
import type { Index, Root } from './image-index.ts';
import { MEDIA_TYPE, isIndexMediaType, isManifestMediaType, type Descriptor, type ImageConfig, type ImageIndex, type Manifest, type OciPlatform } from './types.ts';

const DOCKER_TO_OCI: Readonly<Record<string, string>> = { [MEDIA_TYPE.DOCKER_LAYER_GZIP]: MEDIA_TYPE.OCI_LAYER_GZIP };

// Loads one image manifest and its config; `descriptor.platform` (from an index) is kept.
export async function loadImage(source: BlobSource, descriptor: Descriptor): Promise<Image> {
  const manifestBytes = await fetchVerified(source, descriptor);
  const manifest = parseJsonBlob<Manifest>(manifestBytes, `manifest ${descriptor.digest}`);
  const mediaType = manifest.mediaType ?? descriptor.mediaType;
  if (!isManifestMediaType(mediaType) || !manifest.config || !Array.isArray(manifest.layers)) {
    throw invalid(`${descriptor.digest} is not an image manifest (media type ${mediaType})`);
  }
  const configBytes = await fetchVerified(source, manifest.config);
  const config = parseJsonBlob<ImageConfig>(configBytes, `config ${manifest.config.digest}`);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) {
    throw invalid(`image ${descriptor.digest} has ${manifest.layers.length} layers but its config lists ${diffIds.length} diff_ids`);
  }
  const layers: ImageLayer[] = manifest.layers.map((layer, i) => ({
    descriptor: { ...layer, mediaType: DOCKER_TO_OCI[layer.mediaType] ?? layer.mediaType },
    diffId: diffIds[i]!,
  }));
  return {
    config,
    layers,
    annotations: manifest.annotations ?? {},
    source,
    ...(descriptor.platform ? { platform: descriptor.platform } : {}),
    raw: { manifest: manifestBytes, manifestMediaType: mediaType, config: configBytes },
  };
}

// Loads an index and every image in it (descriptors for "unknown" platforms, e.g. attestations, are skipped).
export async function loadIndex(source: BlobSource, descriptor: Descriptor): Promise<Index> {
  const bytes = await fetchVerified(source, descriptor);
  const index = parseJsonBlob<ImageIndex>(bytes, `index ${descriptor.digest}`);
  if (!Array.isArray(index.manifests)) throw invalid(`${descriptor.digest} is not an image index (no manifests)`);
  const images: Image[] = [];
  for (const child of index.manifests) {
    if (child.platform?.os === 'unknown' || child.platform?.architecture === 'unknown') continue;
    if (!isManifestMediaType(child.mediaType)) throw invalid(`index ${descriptor.digest} holds a ${child.mediaType}, not an image manifest`);
    images.push(await loadImage(source, child));
  }
  return { images, annotations: index.annotations ?? {} };
}

// Loads whatever a descriptor names: an index or a single image.
export async function loadRoot(source: BlobSource, descriptor: Descriptor): Promise<Root> {
  if (isIndexMediaType(descriptor.mediaType)) return loadIndex(source, descriptor);
  if (isManifestMediaType(descriptor.mediaType)) return loadImage(source, descriptor);
  throw invalid(`${descriptor.digest} has media type ${descriptor.mediaType}, neither an index nor an image manifest`);
}

// The images of a root as a list (one for a single image).
export function rootImages(root: Root): readonly Image[] {
  return 'images' in root ? root.images : [root];
}

// Picks the image for a platform (os/arch[/variant]; a missing variant matches any).
export function selectPlatform(images: readonly Image[], wanted: OciPlatform): Image {
  const platformOf = (image: Image): OciPlatform => image.platform ?? image.config;
  const found = images.find((image) => {
    const p = platformOf(image);
    return p.os === wanted.os && p.architecture === wanted.architecture && (!wanted.variant || !p.variant || p.variant === wanted.variant);
  });
  if (!found) throw invalid(`no image for ${platformKey(wanted)} (have ${images.map((i) => platformKey(platformOf(i))).join(', ') || 'none'})`);
  return found;
}

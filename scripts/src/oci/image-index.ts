// A multi-platform image: an index over one image per platform, each descriptor carrying its
// `platform`. Also what writers need from any root (an index or a single image): the top
// descriptor and the list of blobs to store, de-duplicated and in a fixed order.
import { fetchVerified, type BlobSource } from './blob-source.ts';
import { jsonBytes, sha256Digest } from './digest.ts';
import { invalid } from './errors.ts';
import { platformKey, serializeImage, type Image, type SerializedImage } from './image.ts';
import { MEDIA_TYPE, type Descriptor, type Digest, type ImageIndex } from './types.ts';

export interface Index {
  readonly images: readonly Image[];
  readonly annotations: Readonly<Record<string, string>>;
}

export interface SerializedIndex {
  readonly index: ImageIndex;
  readonly bytes: Uint8Array;
  readonly digest: Digest;
  readonly descriptor: Descriptor;
  readonly images: readonly SerializedImage[];
}

/** What a layout, tarball or registry push stores: an index or a single-platform image. */
export type Root = Index | Image;

/** One blob to store: in memory, or to be fetched (and verified) from `source`. */
export interface PendingBlob {
  readonly descriptor: Descriptor;
  readonly bytes?: Uint8Array;
  readonly source?: BlobSource;
}

// Groups per-platform images; refuses two images for the same platform.
export function imageIndex(images: readonly Image[], annotations: Readonly<Record<string, string>> = {}): Index {
  if (images.length === 0) throw invalid('an image index needs at least one image');
  const seen = new Set<string>();
  for (const image of images) {
    const key = platformKey(serializeImage(image).platform);
    if (seen.has(key)) throw invalid(`two images for platform ${key}: an index may hold one image per platform`);
    seen.add(key);
  }
  return { images, annotations };
}

// True when the root is an index rather than a single image.
export function isIndex(root: Root): root is Index {
  return 'images' in root;
}

// The index bytes (manifests in the given image order) and every image's serialised form.
export function serializeIndex(index: Index): SerializedIndex {
  const images = index.images.map(serializeImage);
  const value: ImageIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE.OCI_INDEX,
    manifests: images.map((i) => i.descriptor),
    ...(Object.keys(index.annotations).length > 0 ? { annotations: index.annotations } : {}),
  };
  const bytes = jsonBytes(value);
  const digest = sha256Digest(bytes);
  return { index: value, bytes, digest, descriptor: { mediaType: MEDIA_TYPE.OCI_INDEX, digest, size: bytes.byteLength }, images };
}

// The root's own descriptor (an index has no platform; a lone image keeps its platform).
export function rootDescriptor(root: Root): Descriptor {
  return isIndex(root) ? serializeIndex(root).descriptor : serializeImage(root).descriptor;
}

// Every blob under the root — layers, configs, manifests, the index — once each, sorted by digest.
export function rootBlobs(root: Root): PendingBlob[] {
  const blobs = new Map<string, PendingBlob>();
  const add = (blob: PendingBlob) => {
    if (!blobs.has(blob.descriptor.digest) || blob.bytes) blobs.set(blob.descriptor.digest, blob);
  };
  const addImage = (image: Image, s: SerializedImage) => {
    const { platform: _p, ...manifest } = s.descriptor;
    add({ descriptor: manifest, bytes: s.manifestBytes });
    add({ descriptor: s.manifest.config, bytes: s.configBytes });
    for (const layer of image.layers) add(layer.bytes ? { descriptor: layer.descriptor, bytes: layer.bytes } : { descriptor: layer.descriptor, source: image.source });
  };
  if (isIndex(root)) {
    const s = serializeIndex(root);
    add({ descriptor: s.descriptor, bytes: s.bytes });
    root.images.forEach((image, i) => addImage(image, s.images[i]!));
  } else {
    addImage(root, serializeImage(root));
  }
  return [...blobs.values()].sort((a, b) => (a.descriptor.digest < b.descriptor.digest ? -1 : 1));
}

// The bytes a tag points at: the index, or the lone image's manifest (what a registry push sends last).
export function rootBytes(root: Root): Uint8Array {
  return isIndex(root) ? serializeIndex(root).bytes : serializeImage(root).manifestBytes;
}

// Serves every blob of a root by digest — ours from memory, a base's fetched (and verified) from
// its source — so the validator or a registry push can read an image never written to disk.
export function rootBlobSource(root: Root): BlobSource {
  const blobs = new Map(rootBlobs(root).map((b) => [b.descriptor.digest as string, b]));
  return {
    get: async (digest) => {
      const blob = blobs.get(digest);
      if (!blob) throw invalid(`blob ${digest} is not part of this image`);
      return blob.bytes ?? fetchVerified(blob.source!, blob.descriptor);
    },
  };
}

// The immutable image value (ggcr's v1.Image, as plain data): a config, layer descriptors with
// their diff_ids, manifest annotations, and a BlobSource for layers whose bytes are not in memory
// (a base image's). mutate.ts derives new values; serializeImage turns one into the exact config
// and manifest bytes that get hashed, pushed and written.
import { EMPTY_SOURCE, type BlobSource } from './blob-source.ts';
import { jsonBytes, sha256Digest } from './digest.ts';
import { MEDIA_TYPE, type Descriptor, type Digest, type ImageConfig, type Manifest, type OciPlatform } from './types.ts';

export interface ImageLayer {
  readonly descriptor: Descriptor;
  readonly diffId: Digest;
  /** The compressed blob when it is in memory (layers we built); else it comes from `source`. */
  readonly bytes?: Uint8Array;
}

export interface Image {
  /** The config; `rootfs` is ignored on output (it is derived from `layers`). Extra keys of a base config are kept. */
  readonly config: ImageConfig;
  readonly layers: readonly ImageLayer[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly source: BlobSource;
  /** The index platform, when it says more than the config (e.g. a base's `variant`). */
  readonly platform?: OciPlatform;
  /** The original bytes of an unmodified loaded image, so it round-trips byte for byte. */
  readonly raw?: { readonly manifest: Uint8Array; readonly manifestMediaType: string; readonly config: Uint8Array };
}

export interface SerializedImage {
  readonly configBytes: Uint8Array;
  readonly manifest: Manifest;
  readonly manifestBytes: Uint8Array;
  readonly digest: Digest;
  /** The manifest's descriptor, with `platform`, as it appears in an index. */
  readonly descriptor: Descriptor;
  readonly platform: OciPlatform;
}

const CONFIG_ORDER = ['created', 'author', 'architecture', 'os', 'os.version', 'os.features', 'variant', 'config', 'rootfs', 'history'];
const RUNTIME_ORDER = ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'ArgsEscaped'];

// Copies an object with the listed keys first (in that order), then the rest in their own order.
function ordered<T extends object>(value: T, order: readonly string[]): T {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of order) if (source[key] !== undefined) out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out) && source[key] !== undefined) out[key] = source[key];
  return out as T;
}

// A scratch image for a platform: no layers, an empty history, nothing to fetch.
export function emptyImage(platform: OciPlatform): Image {
  const config: ImageConfig = { architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), rootfs: { type: 'layers', diff_ids: [] }, history: [] };
  return { config, layers: [], annotations: {}, source: EMPTY_SOURCE };
}

// The platform an index should advertise for this image.
export function imagePlatform(image: Image): OciPlatform {
  if (image.platform) return image.platform;
  const { architecture, os, variant } = image.config;
  return { architecture, os, ...(variant ? { variant } : {}) };
}

// The canonical config bytes: spec key order, rootfs rebuilt from the layers.
export function configBytes(image: Image): Uint8Array {
  if (image.raw) return image.raw.config;
  const config = { ...image.config, config: image.config.config && ordered(image.config.config, RUNTIME_ORDER), rootfs: { type: 'layers', diff_ids: image.layers.map((l) => l.diffId) } };
  return jsonBytes(ordered(config, CONFIG_ORDER));
}

// Config, manifest and their digests — everything about an image except the layer bytes.
export function serializeImage(image: Image): SerializedImage {
  const config = configBytes(image);
  const platform = imagePlatform(image);
  let manifest: Manifest;
  let manifestBytes: Uint8Array;
  if (image.raw) {
    manifestBytes = image.raw.manifest;
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
  } else {
    manifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPE.OCI_MANIFEST,
      config: { mediaType: MEDIA_TYPE.OCI_CONFIG, digest: sha256Digest(config), size: config.byteLength },
      layers: image.layers.map((l) => l.descriptor),
      ...(Object.keys(image.annotations).length > 0 ? { annotations: image.annotations } : {}),
    };
    manifestBytes = jsonBytes(manifest);
  }
  const digest = sha256Digest(manifestBytes);
  const mediaType = image.raw?.manifestMediaType ?? MEDIA_TYPE.OCI_MANIFEST;
  return { configBytes: config, manifest, manifestBytes, digest, descriptor: { mediaType, digest, size: manifestBytes.byteLength, platform }, platform };
}

// "os/arch[/variant]", the key for duplicate checks and lookups.
export function platformKey(platform: OciPlatform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

// RFC 3339 UTC time of an epoch in whole seconds, like Go writes it (no fractional part).
export function epochToCreated(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

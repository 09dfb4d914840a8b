// Pulls one platform's image: resolve the reference to a digest (recorded, so a build can pin its
// base image), pick the platform's manifest out of an index (attestations ignored), then fetch
// the config and layers, every blob checked against its digest.
import pLimit from 'p-limit';
import { isIndexMediaType, type Descriptor, type Digest, type ImageConfig, type ImageIndex, type Manifest } from '../types.ts';
import { RegistryClient, type FetchedManifest, type ManifestInfo, type RegistryClientOptions } from './client.ts';
import { registryError } from './errors.ts';
import { formatPlatform, indexPlatforms, parsePlatform, platformMatches, selectManifest } from './platform.ts';
import type { PullEvent } from './push-events.ts';
import { parseReference, shortName, type Reference } from './reference.ts';

export interface PullOptions extends RegistryClientOptions {
  readonly client?: RegistryClient;
  /** `os/arch[/variant]`; required when the reference is a multi-platform index. */
  readonly platform?: string;
  /** Download layer blobs (default true); false fetches manifests and config only. */
  readonly layers?: boolean;
  readonly concurrency?: number;
  readonly onEvent?: (event: PullEvent) => void;
}

export interface PulledImage {
  /** The reference asked for, with the digest it resolved to. */
  readonly reference: Reference;
  /** What the reference pointed at: the index's digest, or the manifest's. */
  readonly digest: Digest;
  readonly index?: { readonly bytes: Uint8Array; readonly digest: Digest; readonly value: ImageIndex };
  readonly manifest: { readonly bytes: Uint8Array; readonly digest: Digest; readonly mediaType: string; readonly value: Manifest; readonly platform: string };
  readonly config: { readonly bytes: Uint8Array; readonly digest: Digest; readonly value: ImageConfig };
  readonly layers: readonly { readonly descriptor: Descriptor; readonly bytes: Uint8Array }[];
}

function clientFor(options: PullOptions): RegistryClient {
  const emit = options.onEvent ?? (() => undefined);
  return options.client ?? new RegistryClient({ ...options, onRetry: (r) => emit({ type: 'retry', request: r.request, attempt: r.attempt, delayMs: r.delayMs, reason: r.error.message }) });
}

// The digest a tag points at right now (HEAD, or GET when the registry omits the header).
export async function resolve(reference: string | Reference, options: PullOptions = {}): Promise<ManifestInfo & { readonly reference: Reference }> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const info = await clientFor(options).headManifest(ref);
  if (!info) {
    throw registryError('REGISTRY_NOT_FOUND', { head: `${ref.registry} has no ${shortName(ref)}`, action: `resolving ${shortName(ref)}`, what: 'manifest unknown', hint: 'check the repository name and tag' }, { registry: ref.registry, status: 404 });
  }
  return { ...info, reference: { ...ref, digest: info.digest } };
}

// Fetches the image for one platform from a tag or digest.
export async function pull(reference: string | Reference, options: PullOptions = {}): Promise<PulledImage> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const emit = options.onEvent ?? (() => undefined);
  const client = clientFor(options);
  const action = `pulling ${shortName(ref)}`;
  const want = options.platform === undefined ? undefined : parsePlatform(options.platform);
  const top = await client.getManifest(ref, action);
  emit({ type: 'resolved', digest: top.digest, mediaType: top.mediaType });

  let index: PulledImage['index'];
  let fetched: FetchedManifest = top;
  let platform: string | undefined;
  if (isIndexMediaType(top.mediaType)) {
    const value = parse<ImageIndex>(top.bytes, ref, action, (v) => Array.isArray(v.manifests));
    index = { bytes: top.bytes, digest: top.digest, value };
    if (!want) {
      throw registryError('REGISTRY_PLATFORM_MISSING', { head: `${ref.registry}/${shortName(ref)} is a multi-platform index`, action, what: `it has ${indexPlatforms(value).join(', ') || 'no runnable platforms'}`, hint: 'say which platform to pull' }, { registry: ref.registry });
    }
    const chosen = selectManifest(value, want, { registry: ref.registry, name: shortName(ref), action });
    platform = formatPlatform(chosen.platform);
    fetched = await client.getManifest({ registry: ref.registry, repository: ref.repository, digest: chosen.digest }, action);
    emit({ type: 'platform-selected', platform, digest: chosen.digest });
  }
  const manifest = parse<Manifest>(fetched.bytes, ref, action, (v) => typeof v.config === 'object' && Array.isArray(v.layers));
  const configBytes = await client.getBlob(ref, manifest.config.digest, manifest.config.size, action);
  emit({ type: 'blob-downloaded', digest: manifest.config.digest, size: configBytes.length });
  const config = parse<ImageConfig>(configBytes, ref, action, (v) => typeof v === 'object');
  const actual = formatPlatform({ os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) });
  if (want && !platformMatches(want, { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) })) {
    throw registryError('REGISTRY_PLATFORM_MISSING', { head: `${ref.registry}/${shortName(ref)} has no ${formatPlatform(want)} image`, action, what: `it is a single ${actual} image`, hint: `use a multi-platform image, or pull ${actual}` }, { registry: ref.registry });
  }

  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const layers = options.layers === false ? [] : await Promise.all(manifest.layers.map((descriptor) => limit(async () => {
    const bytes = await client.getBlob(ref, descriptor.digest, descriptor.size, action);
    emit({ type: 'blob-downloaded', digest: descriptor.digest, size: bytes.length });
    return { descriptor, bytes };
  })));
  return {
    reference: { ...ref, digest: top.digest },
    digest: top.digest,
    ...(index ? { index } : {}),
    manifest: { bytes: fetched.bytes, digest: fetched.digest, mediaType: fetched.mediaType, value: manifest, platform: platform ?? actual },
    config: { bytes: configBytes, digest: manifest.config.digest, value: config },
    layers,
  };
}

function parse<T>(bytes: Uint8Array, ref: Reference, action: string, valid: (v: Record<string, unknown>) => boolean): T {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (value && typeof value === 'object' && valid(value)) return value as T;
  } catch {
    // reported below
  }
  throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action, what: 'it sent a manifest or config that is not valid OCI JSON', hint: 'the image may use an unsupported format (Docker schema 1?)' }, { registry: ref.registry });
}

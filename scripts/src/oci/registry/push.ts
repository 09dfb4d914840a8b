// Pushes an image or a multi-platform index the way the spec orders it: every blob of a manifest
// (in parallel, each at most once) before that manifest, each platform manifest by digest before
// the index, and the tag last — so a tag never points at something incomplete.
import pLimit from 'p-limit';
import { sha256Digest } from '../digest.ts';
import { isIndexMediaType, type Descriptor, type Digest, type ImageIndex, type Manifest } from '../types.ts';
import { RegistryClient, type RegistryClientOptions } from './client.ts';
import { registryError } from './errors.ts';
import { formatPlatform } from './platform.ts';
import type { PushEvent } from './push-events.ts';
import { parseReference, shortName, type Reference } from './reference.ts';

export interface PushSource {
  /** The bytes the tag will point at: an image manifest or an image index. */
  readonly root: Uint8Array;
  /** Its media type; read from the JSON `mediaType` field when absent. */
  readonly mediaType?: string;
  /**
   * Any blob or child manifest by digest (in an OCI layout: blobs/sha256/<hex>); called only for
   * what the registry lacks. An oci/blob-source.ts BlobSource fits: `(d, desc) => src.get(d, desc)`.
   */
  getBlob(digest: Digest, descriptor: Descriptor): Promise<Uint8Array> | Uint8Array;
}

export interface PushOptions extends RegistryClientOptions {
  /** A client to reuse (its own options then apply); else one is made from these options. */
  readonly client?: RegistryClient;
  /** Blobs uploaded at once; default 4. */
  readonly concurrency?: number;
  /** Repositories on the same registry to mount blobs from instead of uploading them. */
  readonly mountFrom?: readonly string[];
  /** More tags to point at the same root after the reference's own. */
  readonly tags?: readonly string[];
  readonly onEvent?: (event: PushEvent) => void;
}

export interface PushResult {
  /** The reference pushed to, with the root's digest filled in. */
  readonly reference: Reference;
  readonly digest: Digest;
  readonly mediaType: string;
  readonly manifests: readonly { readonly digest: Digest; readonly mediaType: string; readonly platform?: string }[];
  readonly blobs: { readonly skipped: number; readonly mounted: number; readonly uploaded: number };
}

// Pushes `source` to `reference` (tag or digest); resolves with what the tag now points at.
export async function push(source: PushSource, reference: string | Reference, options: PushOptions = {}): Promise<PushResult> {
  const ref = typeof reference === 'string' ? parseReference(reference) : reference;
  const emit = options.onEvent ?? (() => undefined);
  const action = `pushing ${shortName(ref)}`;
  const client = options.client ?? new RegistryClient({ ...options, onRetry: (r) => emit({ type: 'retry', request: r.request, attempt: r.attempt, delayMs: r.delayMs, reason: r.error.message }) });
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const counts = { skipped: 0, mounted: 0, uploaded: 0 };
  const blobs = new Map<Digest, Promise<void>>();
  const manifests: { digest: Digest; mediaType: string; platform?: string }[] = [];

  const pushBlob = (d: Descriptor): Promise<void> => {
    let running = blobs.get(d.digest);
    if (!running) {
      running = limit(async () => {
        const result = await client.pushBlob(ref, { digest: d.digest, size: d.size, read: () => source.getBlob(d.digest, d) }, {
          action,
          mountFrom: options.mountFrom,
          onProgress: (sent) => emit({ type: 'blob-progress', digest: d.digest, size: d.size, sent }),
          onRetry: (r) => emit({ type: 'retry', request: `upload ${d.digest}`, attempt: r.attempt, delayMs: r.delayMs, reason: r.error.message }),
          onRecover: (r) => emit({ type: 'blob-recovering', digest: d.digest, how: r.how, offset: r.offset, reason: r.error.message }),
        });
        counts[result.outcome]++;
        if (result.outcome === 'mounted') emit({ type: 'blob-mounted', digest: d.digest, size: d.size, from: result.from });
        else emit({ type: result.outcome === 'skipped' ? 'blob-skipped' : 'blob-uploaded', digest: d.digest, size: d.size });
      });
      blobs.set(d.digest, running);
    }
    return running;
  };

  const pushTree = async (bytes: Uint8Array, declared: string | undefined, target: Reference, platform?: string): Promise<{ digest: Digest; mediaType: string }> => {
    const doc = parseJson(bytes, ref, action);
    const mediaType = declared ?? (typeof doc.mediaType === 'string' ? doc.mediaType : '');
    if (isIndexMediaType(mediaType) || Array.isArray(doc.manifests)) {
      await settleAll((doc as unknown as ImageIndex).manifests.map(async (child) => {
        const childBytes = await source.getBlob(child.digest, child);
        checkSource(childBytes, child, ref, action);
        await pushTree(childBytes, child.mediaType, { registry: ref.registry, repository: ref.repository, digest: child.digest }, child.platform ? formatPlatform(child.platform) : undefined);
      }));
    } else {
      const manifest = doc as unknown as Manifest;
      if (!manifest.config || !Array.isArray(manifest.layers)) throw sourceError(ref, action, `manifest ${sha256Digest(bytes)} has no config or layers`);
      await settleAll([manifest.config, ...manifest.layers].map(pushBlob));
    }
    const digest = await client.putManifest(target, bytes, mediaType || 'application/vnd.oci.image.manifest.v1+json', action);
    manifests.push({ digest, mediaType, ...(platform ? { platform } : {}) });
    emit({ type: 'manifest-pushed', digest, mediaType, target: target.digest ?? target.tag ?? digest, ...(platform ? { platform } : {}) });
    return { digest, mediaType };
  };

  const rootDigest = sha256Digest(source.root);
  if (ref.digest && ref.digest !== rootDigest) throw sourceError(ref, action, `the reference pins ${ref.digest} but the image is ${rootDigest}`);
  const root = await pushTree(source.root, source.mediaType, ref);
  for (const tag of options.tags ?? []) {
    if (tag === ref.tag) continue;
    const tagged = parseReference(`${ref.registry}/${ref.repository}:${tag}`);
    await client.putManifest(tagged, source.root, root.mediaType, action);
    emit({ type: 'manifest-pushed', digest: root.digest, mediaType: root.mediaType, target: tag });
  }
  return { reference: { ...ref, digest: root.digest }, digest: root.digest, mediaType: root.mediaType, manifests, blobs: counts };
}

// Waits for every promise, then throws the first failure (nothing is left running behind it).
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function parseJson(bytes: Uint8Array, ref: Reference, action: string): Record<string, unknown> {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw sourceError(ref, action, `manifest ${sha256Digest(bytes)} is not a JSON object`);
}

function checkSource(bytes: Uint8Array, d: Descriptor, ref: Reference, action: string): void {
  const actual = sha256Digest(bytes);
  if (actual !== d.digest || bytes.length !== d.size) throw sourceError(ref, action, `manifest ${d.digest} reads as ${actual} (${bytes.length} bytes, expected ${d.size})`);
}

function sourceError(ref: Reference, action: string, what: string) {
  return registryError('PUSH_SOURCE_INVALID', { head: `the image for ${ref.registry}`, action, what, hint: 'the image being pushed is corrupt or incomplete; rebuild it' });
}

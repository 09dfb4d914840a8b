// The registry API as methods: HEAD/GET blobs, HEAD/GET/PUT manifests, blob push. Every byte
// read is checked against its digest and size, every digest the registry reports is checked
// against ours, so a proxy or registry that alters content is caught here, not at `docker run`.
import { sha256Digest } from '../digest.ts';
import { MEDIA_TYPE, type Digest } from '../types.ts';
import { repositoryScopes } from './challenge.ts';
import { registryError } from './errors.ts';
import { manifestTarget, shortName, type Reference } from './reference.ts';
import { errorFromNetwork } from './response.ts';
import { withRetry } from './retry.ts';
import { Transport, type TransportOptions } from './transport.ts';
import { pushBlob, type BlobPushResult, type BlobToPush, type PushBlobOptions } from './upload.ts';

export interface RegistryClientOptions extends TransportOptions {
  /** Blobs larger than this go up in PATCH chunks of this size; default 5 MiB. */
  readonly chunkSize?: number;
}

export interface ManifestInfo {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly size: number;
}

export interface FetchedManifest extends ManifestInfo {
  readonly bytes: Uint8Array;
}

export const MANIFEST_ACCEPT = [MEDIA_TYPE.OCI_INDEX, MEDIA_TYPE.OCI_MANIFEST, MEDIA_TYPE.DOCKER_MANIFEST_LIST, MEDIA_TYPE.DOCKER_MANIFEST].join(', ');
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

export class RegistryClient {
  readonly transport: Transport;
  readonly chunkSize: number;

  constructor(options: RegistryClientOptions = {}) {
    this.transport = new Transport(options);
    this.chunkSize = Math.max(1, options.chunkSize ?? 5 * 1024 * 1024);
  }

  // Whether a repository has a blob (HEAD), with the size the registry reports.
  async headBlob(ref: Reference, digest: Digest, action = `pulling ${shortName(ref)}`): Promise<{ size: number } | undefined> {
    const res = await this.call(ref, 'HEAD', `/v2/${ref.repository}/blobs/${digest}`, action, [200, 404], false);
    await res.body?.cancel();
    return res.status === 404 ? undefined : { size: Number(res.headers.get('content-length') ?? -1) };
  }

  // Downloads a blob (following redirects to storage) and checks its digest and size.
  async getBlob(ref: Reference, digest: Digest, expectedSize?: number, action = `pulling ${shortName(ref)}`): Promise<Uint8Array> {
    return this.readVerified(ref, 'GET', `/v2/${ref.repository}/blobs/${digest}`, action, {}, (bytes) => {
      const actual = sha256Digest(bytes);
      if (actual !== digest || (expectedSize !== undefined && bytes.length !== expectedSize)) {
        return `blob ${digest} arrived as ${bytes.length} bytes with digest ${actual}${expectedSize !== undefined ? ` (expected ${expectedSize} bytes)` : ''}`;
      }
      return undefined;
    });
  }

  // The digest, media type and size a tag or digest currently points at, without the body.
  async headManifest(ref: Reference, action = `resolving ${shortName(ref)}`): Promise<ManifestInfo | undefined> {
    const res = await this.call(ref, 'HEAD', `/v2/${ref.repository}/manifests/${manifestTarget(ref)}`, action, [200, 404], false, { Accept: MANIFEST_ACCEPT });
    await res.body?.cancel();
    const digest = res.headers.get('docker-content-digest');
    if (res.status === 404 || !digest?.startsWith('sha256:')) return res.status === 404 ? undefined : this.getManifest(ref, action);
    return { digest: digest as Digest, mediaType: contentType(res) ?? '', size: Number(res.headers.get('content-length') ?? -1) };
  }

  // A manifest or index by tag or digest; its bytes must hash to the digest asked for (or the
  // one the registry reports for a tag).
  async getManifest(ref: Reference, action = `pulling ${shortName(ref)}`): Promise<FetchedManifest> {
    let mediaType = '';
    const bytes = await this.readVerified(ref, 'GET', `/v2/${ref.repository}/manifests/${manifestTarget(ref)}`, action, { Accept: MANIFEST_ACCEPT }, (b, res) => {
      mediaType = contentType(res) ?? '';
      const reported = res.headers.get('docker-content-digest');
      const actual = sha256Digest(b);
      if (ref.digest && actual !== ref.digest) return `manifest ${ref.digest} arrived with digest ${actual}`;
      if (reported?.startsWith('sha256:') && reported !== actual) return `the manifest's bytes hash to ${actual} but the registry says ${reported}`;
      return undefined;
    });
    if (!mediaType.includes('json') || mediaType === 'application/json') mediaType = jsonMediaType(bytes) ?? mediaType;
    return { bytes, digest: sha256Digest(bytes), mediaType, size: bytes.length };
  }

  // Stores a manifest under the reference's tag (or its digest) and checks the registry's digest.
  async putManifest(ref: Reference, bytes: Uint8Array, mediaType: string, action = `pushing ${shortName(ref)}`): Promise<Digest> {
    const digest = sha256Digest(bytes);
    const res = await this.call(ref, 'PUT', `/v2/${ref.repository}/manifests/${manifestTarget(ref)}`, action, [200, 201, 202], true, { 'Content-Type': mediaType }, bytes);
    await res.body?.cancel();
    const reported = res.headers.get('docker-content-digest');
    if (reported && reported.startsWith('sha256:') && reported !== digest) {
      throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action, what: `it stored the manifest as ${reported} but its bytes hash to ${digest}`, hint: 'the registry rewrote the manifest; it cannot be trusted to serve this image' }, { registry: ref.registry });
    }
    return digest;
  }

  // Makes sure a repository has a blob: skipped if present, mounted from `mountFrom` if possible,
  // else uploaded (monolithic or chunked, resuming after interruptions).
  pushBlob(ref: Reference, blob: BlobToPush, options: Omit<PushBlobOptions, 'chunkSize'> & { chunkSize?: number }): Promise<BlobPushResult> {
    return pushBlob(this.transport, ref, blob, { ...options, chunkSize: options.chunkSize ?? this.chunkSize });
  }

  private call(ref: Reference, method: string, path: string, action: string, ok: readonly number[], push: boolean, headers: Record<string, string> = {}, body?: Uint8Array, retry = true): Promise<Response> {
    return this.transport.request({ registry: ref.registry, repository: ref.repository, action, method, path, headers, body, ok, retry, scopes: repositoryScopes(ref.repository, push) });
  }

  // GET with the body read inside the retry loop: a body cut short or corrupted is retried too.
  private readVerified(ref: Reference, method: string, path: string, action: string, headers: Record<string, string>, check: (bytes: Uint8Array, res: Response) => string | undefined): Promise<Uint8Array> {
    return withRetry(async () => {
      const res = await this.call(ref, method, path, action, [200], false, headers, undefined, false);
      const length = Number(res.headers.get('content-length') ?? 0);
      if (path.includes('/manifests/') && length > MAX_MANIFEST_BYTES) {
        await res.body?.cancel();
        throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action, what: `the manifest is ${length} bytes`, hint: 'manifests over 8 MiB are refused' }, { registry: ref.registry });
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch (error) {
        throw errorFromNetwork(error, { registry: ref.registry, action, method, url: res.url });
      }
      const problem = check(bytes, res);
      if (problem) throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action, what: problem, hint: 'the registry or a proxy altered the content; run again' }, { registry: ref.registry, temporary: true });
      return bytes;
    }, this.transport.policy, this.transport.hooks(method, path));
  }
}

function contentType(res: Response): string | undefined {
  return res.headers.get('content-type')?.split(';')[0]?.trim() || undefined;
}

function jsonMediaType(bytes: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}

// Blob push per the distribution spec: HEAD (skip when present), cross-repository mount, then a
// monolithic POST+PUT for small blobs or PATCH chunks with Content-Range for large ones. After an
// interruption the upload resumes from the registry's `Range` (GET on the session), or restarts in
// a new session when the registry lost it; attempts are bounded by the retry policy.
import { sha256Digest } from '../digest.ts';
import type { Digest } from '../types.ts';
import { repositoryScopes } from './challenge.ts';
import { isRegistryError, registryError, type RegistryError } from './errors.ts';
import type { Reference } from './reference.ts';
import { retryDelay, sleep, type RetryInfo } from './retry.ts';
import type { Call, Transport } from './transport.ts';
import { chunkedPut, type Session, uploadStatus } from './upload-session.ts';

export interface BlobToPush {
  readonly digest: Digest;
  readonly size: number;
  /** Called only when the bytes must actually be sent. */
  readonly read: () => Promise<Uint8Array> | Uint8Array;
}

export interface PushBlobOptions {
  readonly action: string;
  readonly chunkSize: number;
  /** Repositories on the same registry to mount the blob from, tried in order. */
  readonly mountFrom?: readonly string[];
  readonly onProgress?: (sent: number) => void;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly onRecover?: (info: { readonly how: 'resume' | 'restart'; readonly offset: number; readonly error: RegistryError }) => void;
}

export type BlobPushResult =
  | { readonly outcome: 'skipped' }
  | { readonly outcome: 'mounted'; readonly from: string }
  | { readonly outcome: 'uploaded' };

const SESSION_LOST = ['BLOB_UPLOAD_UNKNOWN', 'BLOB_UPLOAD_INVALID', 'DIGEST_INVALID', 'SIZE_INVALID', 'RANGE_INVALID'];

// Skips, mounts or uploads one blob into `ref`'s repository.
export async function pushBlob(t: Transport, ref: Reference, blob: BlobToPush, options: PushBlobOptions): Promise<BlobPushResult> {
  const scopes = repositoryScopes(ref.repository, true, options.mountFrom);
  const call = (c: Omit<Call, 'registry' | 'repository' | 'action' | 'scopes'>) => t.request({ registry: ref.registry, repository: ref.repository, action: options.action, scopes, ...c });
  const uploads = `/v2/${ref.repository}/blobs/uploads/`;
  if (await exists(call, ref, blob, options.action)) return { outcome: 'skipped' };

  let session: Session | undefined;
  for (const from of options.mountFrom ?? []) {
    if (from === ref.repository) continue;
    try {
      const res = await call({ method: 'POST', path: `${uploads}?mount=${blob.digest}&from=${encodeURIComponent(from)}`, ok: [201, 202] });
      await res.body?.cancel();
      if (res.status === 201) return { outcome: 'mounted', from };
      session = await sessionFrom(t, ref, res, options.action);
      break;
    } catch (error) {
      if (!isRegistryError(error) || error.temporary) throw error;
    }
  }

  let bytes: Uint8Array | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      bytes ??= await readChecked(blob, ref, options.action);
      if (!session) {
        const res = await call({ method: 'POST', path: uploads, ok: [202], retry: false });
        await res.body?.cancel();
        session = await sessionFrom(t, ref, res, options.action);
      }
      await chunkedPut(t, call, ref, session, bytes, blob.digest, options);
      return { outcome: 'uploaded' };
    } catch (error) {
      if (!isRegistryError(error) || !(error.temporary || error.hasOciCode(...SESSION_LOST))) throw error;
      if (attempt >= t.policy.attempts) throw error.afterAttempts(attempt);
      const delay = retryDelay(t.policy, attempt, error);
      if (delay === undefined) throw error.afterAttempts(attempt);
      options.onRetry?.({ attempt, delayMs: delay, error });
      await sleep(delay, t.signal);
      const status = session && !error.hasOciCode('DIGEST_INVALID', 'SIZE_INVALID') ? await uploadStatus(call, session).catch(() => undefined) : undefined;
      if (!status && (await exists(call, ref, blob, options.action, false).catch(() => false))) return { outcome: 'uploaded' };
      session = status;
      options.onRecover?.({ how: status ? 'resume' : 'restart', offset: status?.offset ?? 0, error });
    }
  }
}

// HEAD on the blob; a size that disagrees with ours is a protocol error, not a skip.
async function exists(call: (c: Omit<Call, 'registry' | 'repository' | 'action' | 'scopes'>) => Promise<Response>, ref: Reference, blob: BlobToPush, action: string, retry = true): Promise<boolean> {
  const res = await call({ method: 'HEAD', path: `/v2/${ref.repository}/blobs/${blob.digest}`, ok: [200, 404], retry });
  await res.body?.cancel();
  if (res.status === 404) return false;
  const length = res.headers.get('content-length');
  const reported = res.headers.get('docker-content-digest');
  if ((length !== null && Number(length) !== blob.size) || (reported?.startsWith('sha256:') && reported !== blob.digest)) {
    throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action, what: `HEAD ${blob.digest} answered ${length} bytes and digest ${reported ?? '(none)'}, expected ${blob.size} bytes`, hint: 'the registry reports a different blob under this digest' }, { registry: ref.registry });
  }
  return true;
}

async function sessionFrom(t: Transport, ref: Reference, res: Response, action: string): Promise<Session> {
  const location = res.headers.get('location');
  if (!location) throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action, what: `${res.status} to POST ${ref.repository}/blobs/uploads/ had no Location header`, hint: 'the registry does not follow the distribution spec' }, { registry: ref.registry });
  const minChunk = Number(res.headers.get('oci-chunk-min-length') ?? 0);
  return { location: await t.url(ref.registry, location, action), offset: 0, minChunk: Number.isFinite(minChunk) ? minChunk : 0 };
}

async function readChecked(blob: BlobToPush, ref: Reference, action: string): Promise<Uint8Array> {
  const bytes = await blob.read();
  const actual = sha256Digest(bytes);
  if (actual !== blob.digest || bytes.length !== blob.size) {
    throw registryError('PUSH_SOURCE_INVALID', { head: `blob ${blob.digest}`, action, what: `its bytes hash to ${actual} (${bytes.length} bytes, expected ${blob.size})`, hint: `the image being pushed to ${ref.registry} is corrupt; rebuild it` });
  }
  return bytes;
}

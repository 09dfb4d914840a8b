// The data half of a blob upload: one PUT `?digest=` for a small blob, or PATCH chunks with
// Content-Range that follow each `Location` and trust the registry's `Range`, then the closing PUT.
// A session remembers the last good location and offset so an interrupted upload can resume.
import type { Digest } from '../types.ts';
import { registryError } from './errors.ts';
import type { Reference } from './reference.ts';
import type { Call, Transport } from './transport.ts';

export interface Session {
  /** Absolute URL of the upload session (changes with each answer). */
  location: string;
  /** Bytes the registry has accepted. */
  offset: number;
  /** `OCI-Chunk-Min-Length`: chunks (but the last) must be at least this long. */
  readonly minChunk: number;
}

type CallFn = (c: Omit<Call, 'registry' | 'repository' | 'action' | 'scopes'>) => Promise<Response>;

// `Range: 0-1023` → 1024 bytes received; `0-0` is ambiguous (distribution sends it for empty
// sessions) and so is undefined.
export function parseRange(header: string | null): number | undefined {
  const m = /^(?:bytes=)?0-(\d+)$/.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const end = Number(m[1]);
  return end === 0 ? undefined : end + 1;
}

// Sends the bytes from session.offset on and finishes the upload; throws on any failure with the
// session left at the last offset the registry confirmed.
export async function chunkedPut(t: Transport, call: CallFn, ref: Reference, session: Session, bytes: Uint8Array, digest: Digest, options: { action: string; chunkSize: number; onProgress?: (sent: number) => void }): Promise<void> {
  const chunk = Math.max(options.chunkSize, session.minChunk);
  const finish = async (body: Uint8Array | undefined) => {
    const res = await call({ method: 'PUT', path: withQuery(session.location, 'digest', digest), body, headers: { 'Content-Type': 'application/octet-stream' }, ok: [201, 204], retry: false });
    await res.body?.cancel();
    const reported = res.headers.get('docker-content-digest');
    if (reported?.startsWith('sha256:') && reported !== digest) {
      throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action: options.action, what: `it stored blob ${digest} as ${reported}`, hint: 'the registry altered the blob' }, { registry: ref.registry });
    }
    if (body) options.onProgress?.(bytes.length);
  };
  if (session.offset === 0 && bytes.length <= chunk) return finish(bytes);

  while (session.offset < bytes.length) {
    const start = session.offset;
    const end = Math.min(bytes.length, start + chunk);
    const res = await call({
      method: 'PATCH',
      path: session.location,
      body: bytes.subarray(start, end),
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${start}-${end - 1}` },
      ok: [202, 416],
      retry: false,
    });
    await res.body?.cancel();
    if (res.status === 416) {
      const status = await uploadStatus(call, session);
      session.location = status.location;
      session.offset = status.offset;
      continue;
    }
    const location = res.headers.get('location');
    if (location) session.location = await t.url(ref.registry, location, options.action);
    const confirmed = parseRange(res.headers.get('range')) ?? end;
    if (confirmed > end || confirmed <= start) {
      throw registryError('REGISTRY_PROTOCOL', { head: ref.registry, action: options.action, what: `after bytes ${start}-${end - 1} of ${digest} it reported Range ${res.headers.get('range')}`, hint: 'the registry lost track of the upload; run again' }, { registry: ref.registry, temporary: true });
    }
    session.offset = confirmed;
    options.onProgress?.(confirmed);
  }
  await finish(undefined);
}

// GET on the session: where the registry says the upload stands (after a 416 or a dropped
// connection). Throws when the session is gone.
export async function uploadStatus(call: CallFn, session: Session): Promise<Session> {
  const res = await call({ method: 'GET', path: session.location, ok: [200, 204], retry: false });
  await res.body?.cancel();
  const location = res.headers.get('location');
  return {
    location: location ? new URL(location, session.location).toString() : session.location,
    offset: parseRange(res.headers.get('range')) ?? 0,
    minChunk: session.minChunk,
  };
}

// Adds a query parameter to a URL that may already carry some (upload state tokens).
function withQuery(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

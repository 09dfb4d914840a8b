// Turns what went wrong on the wire — an HTTP status with the spec's `{"errors":[…]}` body, or a
// connection that failed — into a RegistryError with a one-line message and a `temporary` flag.
import { unauthorizedParts } from './auth.ts';
import { registryError, type OciErrorEntry, type RegistryError } from './errors.ts';
import { isTemporaryStatus, parseRetryAfter } from './retry.ts';

export interface RequestInfo {
  readonly registry: string;
  readonly repository?: string;
  /** What we were doing, for messages: `pushing app`, `pulling library/alpine:3.20`. */
  readonly action: string;
  readonly method: string;
  readonly url: string;
  readonly hasCredentials?: boolean;
}

const SAFE_QUERY = new Set(['digest', 'mount', 'from', 'n', 'last', 'service', 'scope']);

// The URL without user info and with opaque query values (upload state, signatures) hidden;
// a relative path stays relative.
export function redactUrl(url: string): string {
  try {
    const relative = url.startsWith('/');
    const u = new URL(url, 'http://relative.invalid');
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) if (!SAFE_QUERY.has(key)) u.searchParams.set(key, 'REDACTED');
    return relative ? `${u.pathname}${u.search}` : u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

// The spec's error body, or nothing when the body is not that JSON.
export function parseOciErrors(text: string): OciErrorEntry[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(body.errors)) return [];
    return body.errors.filter((e): e is OciErrorEntry => typeof e === 'object' && e !== null && typeof (e as OciErrorEntry).code === 'string');
  } catch {
    return [];
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 409: 'Conflict', 411: 'Length Required', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout',
};

// Maps a status the caller did not expect to an error; reads (and so releases) the body.
export async function errorFromResponse(response: Response, info: RequestInfo): Promise<RegistryError> {
  const text = await response.text().catch(() => '');
  const errors = parseOciErrors(text);
  const status = response.status;
  const head = `${status} ${STATUS_TEXT[status] ?? response.statusText ?? ''}`.trim() + ` from ${info.registry}`;
  const codes = errors.map((e) => e.code);
  const said = errors.map((e) => e.message || e.code.toLowerCase().replace(/_/g, ' ')).join('; ');
  const what = said || (text.length > 0 && text.length < 200 && !text.includes('<') ? text.trim() : 'no details given');
  const base = { registry: info.registry, method: info.method, url: redactUrl(info.url), status, errors };
  const parts = { head, action: info.action, what };
  const repo = info.repository ?? 'the repository';
  if (status === 401) return registryError('REGISTRY_UNAUTHORIZED', unauthorizedParts(status, info.registry, info.action, info.hasCredentials ?? false), base);
  if (codes.includes('TOOMANYREQUESTS') || status === 429) {
    return registryError('REGISTRY_RATE_LIMITED', { ...parts, hint: 'wait and run again, or log in: anonymous clients get lower limits' }, { ...base, temporary: true, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
  }
  if (status === 403) return registryError('REGISTRY_DENIED', { ...parts, hint: `check that your account on ${info.registry} may access ${repo}` }, base);
  if (status === 404) return registryError('REGISTRY_NOT_FOUND', { ...parts, hint: notFoundHint(codes) }, base);
  if (isTemporaryStatus(status)) {
    return registryError('REGISTRY_UNAVAILABLE', { ...parts, hint: 'the registry is failing; try again later' }, { ...base, temporary: true, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
  }
  if ([400, 405, 409, 411, 413, 415].includes(status)) return registryError('REGISTRY_REJECTED', { ...parts, hint: rejectedHint(status, codes) }, base);
  return registryError('REGISTRY_PROTOCOL', { ...parts, what: `unexpected answer to ${info.method}: ${what}`, hint: 'the registry does not follow the distribution spec here' }, base);
}

function notFoundHint(codes: readonly string[]): string {
  if (codes.includes('BLOB_UNKNOWN')) return 'the image in the registry is incomplete; push it again';
  if (codes.includes('BLOB_UPLOAD_UNKNOWN') || codes.includes('BLOB_UPLOAD_INVALID')) return 'the upload session was lost; run again';
  if (codes.includes('NAME_UNKNOWN')) return 'check the repository name';
  return 'check the repository name and tag';
}

function rejectedHint(status: number, codes: readonly string[]): string {
  if (status === 413) return 'the manifest or blob is larger than this registry accepts';
  if (status === 405) return 'the registry does not allow this here (a read-only mirror?)';
  if (codes.includes('MANIFEST_BLOB_UNKNOWN')) return 'a blob the manifest names is missing from the repository; push again';
  if (status === 415 || codes.includes('MANIFEST_INVALID')) return 'the registry does not accept this manifest type; try a registry that supports OCI images';
  return 'the registry refused the content';
}

interface Classified {
  readonly what: string;
  readonly temporary: boolean;
  readonly hint: string;
}

// Names a failed connection (refused, reset, timeout, DNS, TLS) across Node's and Deno's errors.
export function classifyNetworkError(error: unknown, registry: string): Classified {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 6; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    const errs = (e as { errors?: unknown }).errors;
    if (Array.isArray(errs)) chain.push(...errs);
  }
  const codes = chain.flatMap((e) => [String((e as { code?: unknown }).code ?? ''), String((e as { name?: unknown }).name ?? '')]);
  const text = chain.map((e) => String((e as { message?: unknown }).message ?? '')).join(' | ');
  const has = (re: RegExp) => codes.some((c) => re.test(c)) || re.test(text);
  const running = `is a registry running at ${registry}?`;
  if (has(/bad port/i)) return { what: 'fetch refuses this port ("bad port": ports such as 6000 are blocked by the fetch standard)', temporary: false, hint: 'run the registry on another port, e.g. 5000' };
  if (has(/ECONNREFUSED|connection refused/i)) return { what: 'connection refused', temporary: true, hint: `${running} check the host and port` };
  if (has(/ENOTFOUND|dns error|failed to lookup|getaddrinfo/i) && !has(/EAI_AGAIN/)) return { what: 'host name not found', temporary: false, hint: `check the registry name "${registry}"` };
  if (has(/CERT|certificate|self.signed|ERR_TLS|SSL|wrong version number/i)) {
    return { what: 'TLS handshake failed', temporary: false, hint: `if ${registry} serves plain HTTP, list it in the insecure registries; if it uses a private CA, trust that CA` };
  }
  if (has(/TimeoutError|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|timed out/i)) return { what: 'timed out', temporary: true, hint: `${running} is the network slow?` };
  if (has(/ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed|reset|broken pipe|terminated|EOF/i)) return { what: 'the connection was closed mid-request', temporary: true, hint: `${running} it may have restarted` };
  const inner = chain[chain.length - 1] as { message?: unknown } | undefined;
  return { what: String(inner?.message ?? error), temporary: true, hint: `${running} check the network` };
}

// A failed connection as a RegistryError.
export function errorFromNetwork(error: unknown, info: RequestInfo): RegistryError {
  const c = classifyNetworkError(error, info.registry);
  return registryError('REGISTRY_UNREACHABLE', { head: `cannot reach ${info.registry}`, action: info.action, what: c.what, hint: c.hint }, { registry: info.registry, method: info.method, url: redactUrl(info.url), temporary: c.temporary, cause: error });
}

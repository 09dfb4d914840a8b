// One place where requests reach the network: picks https (or http for loopback and listed
// insecure registries) by pinging /v2/, adds Authorization from the challenge, refreshes a refused
// token once, retries temporary failures, and turns unexpected answers into RegistryErrors.
import { Authenticator } from './auth.ts';
import { pickChallenge } from './challenge.ts';
import { anonymousKeychain, type Keychain } from './keychain.ts';
import { type Endpoint, pingOnce } from './ping.ts';
import { errorFromNetwork, errorFromResponse, redactUrl, type RequestInfo } from './response.ts';
import { DEFAULT_RETRY, isTemporaryStatus, type RetryHooks, type RetryInfo, type RetryPolicy, withRetry } from './retry.ts';

export interface TransportOptions {
  readonly keychain?: Keychain;
  /** Registries (`host` or `host:port`) that may use plain HTTP besides loopback ones. */
  readonly insecureRegistries?: readonly string[];
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request limit, including reading the body; default 10 minutes. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly userAgent?: string;
  readonly fetch?: typeof fetch;
  /** Told before each retry; `request` is `METHOD /v2/…` (redacted) or `upload sha256:…`. */
  readonly onRetry?: (info: RetryInfo & { readonly request: string }) => void;
}

export interface Call {
  readonly registry: string;
  readonly repository?: string;
  readonly action: string;
  readonly method: string;
  /** `/v2/…` on the registry, or an absolute URL from a `Location` header. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  readonly scopes: readonly string[];
  /** Statuses handed back; any other becomes a RegistryError. */
  readonly ok: readonly number[];
  /** false: one attempt, the caller recovers (uploads resume instead of resending). */
  readonly retry?: boolean;
}

export class Transport {
  readonly policy: RetryPolicy;
  readonly auth: Authenticator;
  private readonly endpoints = new Map<string, Promise<Endpoint>>();
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: TransportOptions = {}) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.auth = new Authenticator(options.keychain ?? anonymousKeychain, (url, init, registry, action) => this.raw(url, init, registry, action), options.insecureRegistries);
  }

  // Sends a registry API call with auth and (unless call.retry is false) bounded retries.
  async request(call: Call): Promise<Response> {
    const endpoint = await this.endpoint(call.registry, call.action);
    const once = () => this.once(call, endpoint);
    if (call.retry === false) return once();
    return withRetry(once, this.policy, this.hooks(call.method, call.path));
  }

  // The abort signal and retry callback for loops that retry on their own (uploads, verified reads).
  hooks(method: string, url: string): RetryHooks {
    return { signal: this.options.signal, onRetry: (r) => this.options.onRetry?.({ ...r, request: `${method} ${redactUrl(url)}` }) };
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  // The absolute URL for a path or Location on a registry.
  async url(registry: string, pathOrUrl: string, action: string): Promise<string> {
    return new URL(pathOrUrl, (await this.endpoint(registry, action)).base).toString();
  }

  private async once(call: Call, endpoint: Endpoint): Promise<Response> {
    const url = new URL(call.path, endpoint.base).toString();
    const credential = await this.auth.credential(call.registry, call.repository);
    const info: RequestInfo = { registry: call.registry, repository: call.repository, action: call.action, method: call.method, url, hasCredentials: credential !== undefined };
    const send = async () => {
      const authorization = await this.auth.header(call.registry, call.repository, endpoint.challenge, call.scopes, call.action);
      const response = await this.fetchOnce(url, { method: call.method, headers: { ...call.headers, ...(authorization ? { Authorization: authorization } : {}) }, body: call.body }, info);
      return { response, sentAuth: authorization !== undefined };
    };
    const first = await send();
    let response = first.response;
    if (response.status === 401) {
      // An expired token, a scope that was too narrow, or a registry that only asks for auth here;
      // a Basic credential that was sent and refused is not sent again.
      const fresh = pickChallenge(response.headers.get('www-authenticate'));
      if (fresh && (fresh.scheme === 'bearer' || (credential && !first.sentAuth))) {
        await response.body?.cancel();
        endpoint.challenge = fresh;
        this.auth.forget(call.registry);
        ({ response } = await send());
      }
    }
    if (call.ok.includes(response.status)) return response;
    throw await errorFromResponse(response, info);
  }

  private async fetchOnce(url: string, init: RequestInit, info: RequestInfo): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 600_000);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    try {
      return await this.doFetch(url, { ...init, redirect: 'follow', signal, headers: { 'User-Agent': this.options.userAgent ?? 'build-static', ...(init.headers as Record<string, string>) } });
    } catch (error) {
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      throw errorFromNetwork(error, info);
    }
  }

  // An unauthenticated request (token realms) with retries on network errors and 5xx/429.
  private raw(url: string, init: RequestInit, registry: string, action: string): Promise<Response> {
    const info: RequestInfo = { registry, action, method: init.method ?? 'GET', url };
    return withRetry(
      async () => {
        const response = await this.fetchOnce(url, init, info);
        if (isTemporaryStatus(response.status)) throw await errorFromResponse(response, info);
        return response;
      },
      this.policy,
      this.hooks(info.method, url),
    );
  }

  private endpoint(registry: string, action: string): Promise<Endpoint> {
    let found = this.endpoints.get(registry);
    if (!found) {
      found = this.ping(registry, action);
      this.endpoints.set(registry, found);
      found.catch(() => this.endpoints.delete(registry));
    }
    return found;
  }

  // GET /v2/ (https, then http when allowed), retried like any request.
  private ping(registry: string, action: string): Promise<Endpoint> {
    return withRetry(() => pingOnce(registry, action, (url, init, info) => this.fetchOnce(url, init, info), this.options.insecureRegistries), this.policy, this.hooks('GET', '/v2/'));
  }
}

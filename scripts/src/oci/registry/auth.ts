// The `WWW-Authenticate` flow: a registry's 401 names Basic or Bearer; for Bearer we fetch a
// token for exactly the scopes an operation needs (pull, or pull+push plus pull on a mount's
// source) from the realm, anonymously or with the keychain's credential, and cache it per scope.
// Tokens are requested once per scope even when many uploads ask at the same time.
import { basicAuth, type Challenge } from './challenge.ts';
import { registryError } from './errors.ts';
import type { Credential, Keychain } from './keychain.ts';
import { allowsPlainHttp } from './reference.ts';

/** Sends one unauthenticated request with retries and network-error classification. */
export type RawSend = (url: string, init: RequestInit, registry: string, action: string) => Promise<Response>;

export class Authenticator {
  private readonly credentials = new Map<string, Promise<Credential | undefined>>();
  private readonly tokens = new Map<string, Promise<{ readonly value: string; readonly expiresAt: number }>>();

  constructor(
    private readonly keychain: Keychain,
    private readonly send: RawSend,
    private readonly insecureRegistries: readonly string[] = [],
    private readonly now: () => number = Date.now,
  ) {}

  // The keychain's answer for a registry, asked once per client.
  credential(registry: string, repository?: string): Promise<Credential | undefined> {
    const key = `${registry}/${repository ?? ''}`;
    let found = this.credentials.get(key);
    if (!found) this.credentials.set(key, (found = this.keychain.resolve(registry, repository)));
    return found;
  }

  // The Authorization header for a request, or undefined when the registry asked for none.
  async header(registry: string, repository: string | undefined, challenge: Challenge | undefined, scopes: readonly string[], action: string): Promise<string | undefined> {
    if (!challenge) return undefined;
    const credential = await this.credential(registry, repository);
    if (challenge.scheme === 'basic') return credential && 'username' in credential ? basicAuth(credential.username, credential.password) : undefined;
    if (challenge.scheme !== 'bearer') return undefined;
    // Concurrent requests for the same scopes share one token request.
    const key = `${registry} ${[...scopes].sort().join(' ')}`;
    const previous = this.tokens.get(key);
    const cached = previous && (await previous.catch(() => undefined));
    if (cached && cached.expiresAt > this.now()) return `Bearer ${cached.value}`;
    const pending = this.fetchToken(registry, challenge, scopes, credential, action);
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.get(key) === pending && this.tokens.delete(key));
    return `Bearer ${(await pending).value}`;
  }

  // Drops cached tokens for a registry after it refused one (expired, or too narrow).
  forget(registry: string): void {
    for (const key of this.tokens.keys()) if (key.startsWith(`${registry} `)) this.tokens.delete(key);
  }

  private async fetchToken(registry: string, challenge: Challenge, scopes: readonly string[], credential: Credential | undefined, action: string): Promise<{ value: string; expiresAt: number }> {
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw registryError('REGISTRY_PROTOCOL', { head: registry, action, what: `its Bearer challenge has no usable realm (${JSON.stringify(realm ?? '')})`, hint: 'the registry is misconfigured' }, { registry });
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowsPlainHttp(url.host, this.insecureRegistries))) {
      throw registryError('REGISTRY_PROTOCOL', { head: registry, action, what: `its token service ${url.origin} is not HTTPS`, hint: `add ${url.host} to the insecure registries if that is intended` }, { registry });
    }
    const service = challenge.params.service;
    let init: RequestInit;
    if (credential && 'identitytoken' in credential) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identitytoken, client_id: 'build-static', scope: scopes.join(' ') });
      if (service) form.set('service', service);
      init = { method: 'POST', body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    } else {
      if (service) url.searchParams.set('service', service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      init = { method: 'GET', headers: credential ? { Authorization: basicAuth(credential.username, credential.password) } : {} };
    }
    const response = await this.send(url.toString(), init, registry, action);
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw registryError('REGISTRY_UNAUTHORIZED', unauthorizedParts(response.status, registry, action, credential !== undefined), { registry, status: response.status, method: init.method, url: url.origin + url.pathname });
    }
    let body: { token?: string; access_token?: string; expires_in?: number };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = {};
    }
    const value = body.token ?? body.access_token;
    if (response.status !== 200 || !value) {
      throw registryError('REGISTRY_PROTOCOL', { head: `${response.status} from the token service of ${registry}`, action, what: 'no token in the answer', hint: 'the registry may be misconfigured; try again later' }, { registry, status: response.status });
    }
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { value, expiresAt: this.now() + Math.max(5, seconds - 10) * 1000 };
  }
}

// The one-line explanation of a 401: no credentials, or rejected ones, and how to log in.
export function unauthorizedParts(status: number, registry: string, action: string, hadCredentials: boolean) {
  const head = `${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'} from ${registry}`;
  return hadCredentials
    ? { head, action, what: `the credentials for ${registry} were rejected`, hint: `run "podman login ${registry}" again, or fix its entry in ~/.docker/config.json` }
    : { head, action, what: `no credentials for ${registry}`, hint: `run "podman login ${registry}" or add it to ~/.docker/config.json` };
}

// Finding a registry's API: GET /v2/ over https, then over plain http when the registry is
// loopback or listed as insecure. The scheme that answers and its auth challenge are remembered
// per registry for the client's lifetime.
import { type Challenge, pickChallenge } from './challenge.ts';
import { isRegistryError } from './errors.ts';
import { allowsPlainHttp, apiHost } from './reference.ts';
import { errorFromResponse, type RequestInfo } from './response.ts';
import { isTemporaryStatus } from './retry.ts';

export interface Endpoint {
  /** `https://ghcr.io`, `http://127.0.0.1:5000` */
  readonly base: string;
  /** What the registry asked for on /v2/ (updated when a later 401 asks for more). */
  challenge: Challenge | undefined;
}

export type FetchOnce = (url: string, init: RequestInit, info: RequestInfo) => Promise<Response>;

// One round of pinging: the first scheme that answers wins; a connection failure on every
// scheme throws the last one (temporary, so the caller's retry loop tries again).
export async function pingOnce(registry: string, action: string, fetchOnce: FetchOnce, insecureRegistries?: readonly string[]): Promise<Endpoint> {
  const schemes = allowsPlainHttp(registry, insecureRegistries) ? ['https', 'http'] : ['https'];
  let failure: unknown;
  for (const scheme of schemes) {
    const base = `${scheme}://${apiHost(registry)}`;
    const info: RequestInfo = { registry, action, method: 'GET', url: `${base}/v2/` };
    let response: Response;
    try {
      response = await fetchOnce(info.url, { method: 'GET' }, info);
    } catch (error) {
      if (!isRegistryError(error)) throw error;
      failure = error;
      continue;
    }
    if (isTemporaryStatus(response.status)) throw await errorFromResponse(response, info);
    await response.body?.cancel();
    return { base, challenge: response.status === 401 ? pickChallenge(response.headers.get('www-authenticate')) : undefined };
  }
  throw failure;
}

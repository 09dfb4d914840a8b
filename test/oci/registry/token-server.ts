// A Bearer token service the real registry trusts, for the auth tests: signs RS256 JWTs with a
// throwaway certificate (made by openssl) sent in the `x5c` header, as distribution's token auth
// expects. Anonymous callers get pull; known users get the actions they ask for.
import { execFileSync } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenAuth } from '../../helpers/registry.ts';
import { listen } from './faulty-proxy.ts';

export interface TokenServer extends TokenAuth {
  /** Every token request: the Basic user (or undefined) and the scopes asked for. */
  readonly requests: { user?: string; scopes: string[] }[];
  stop(): Promise<void>;
}

// Starts the token service on a free 127.0.0.1 port.
export async function startTokenServer(users: Readonly<Record<string, string>>): Promise<TokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'bs-token-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=build-static-test-token'], { stdio: 'ignore' });
  const key = readFileSync(keyFile, 'utf8');
  const der = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
  const issuer = 'build-static-test-issuer';
  const service = 'build-static-test-registry';
  const requests: TokenServer['requests'] = [];
  const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scopes = url.searchParams.getAll('scope');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString() : undefined;
    const user = decoded?.slice(0, decoded.indexOf(':'));
    const pass = decoded?.slice(decoded.indexOf(':') + 1);
    requests.push({ user, scopes });
    if (user !== undefined && users[user] !== pass) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const access = scopes.map((s) => {
      const [type, name, actions] = s.split(':');
      return { type, name, actions: user ? (actions ?? '').split(',') : ['pull'] };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const signature = b64url(createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key));
    const token = `${header}.${claims}.${signature}`;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  const port = await listen(server);
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    stop: async () => {
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

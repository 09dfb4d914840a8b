// `WWW-Authenticate` challenges and the scopes and headers answering them: plain functions,
// shared by the authenticator and the transport.
import { Buffer } from 'node:buffer';

export interface Challenge {
  /** Lowercase: `bearer`, `basic`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

// Parses `Bearer realm="…",service="…",scope="…"` (several challenges may share one header).
export function parseChallenges(header: string | null | undefined): Challenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  const s = header ?? '';
  let i = 0;
  const skip = (chars: string) => {
    while (i < s.length && chars.includes(s[i]!)) i++;
  };
  while (i < s.length) {
    skip(' \t,');
    const start = i;
    while (i < s.length && !' \t,='.includes(s[i]!)) i++;
    const token = s.slice(start, i);
    if (token === '') break;
    skip(' \t');
    if (s[i] !== '=' || out.length === 0) {
      out.push({ scheme: token.toLowerCase(), params: {} });
      continue;
    }
    i++;
    skip(' \t');
    let value = '';
    if (s[i] === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) value += s[i] === '\\' ? s[++i] ?? '' : s[i];
      i++;
    } else {
      const v = i;
      while (i < s.length && s[i] !== ',') i++;
      value = s.slice(v, i).trim();
    }
    out[out.length - 1]!.params[token.toLowerCase()] = value;
  }
  return out;
}

// The token scopes for an operation on a repository (plus pull on each mount source).
export function repositoryScopes(repository: string, push: boolean, mountFrom: readonly string[] = []): string[] {
  const own = `repository:${repository}:${push ? 'pull,push' : 'pull'}`;
  return [own, ...mountFrom.filter((r) => r !== repository).map((r) => `repository:${r}:pull`)];
}

// The Authorization value for `Basic` (also what the token realm receives).
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

// Bearer when offered (it carries scopes), else Basic.
export function pickChallenge(header: string | null): Challenge | undefined {
  const all = parseChallenges(header);
  return all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
}

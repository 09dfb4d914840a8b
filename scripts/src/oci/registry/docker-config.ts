// The entries of docker's config.json and podman's auth.json (same `auths` format): which key
// names a registry (Docker Hub has several spellings, podman allows `host/namespace` keys), how
// `auth` decodes, and when a credential helper is asked instead.
import { Buffer } from 'node:buffer';
import { RegistryError } from './errors.ts';
import type { Credential, CredentialHelperRunner } from './keychain.ts';
import { DOCKER_HUB } from './reference.ts';

export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export interface ConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

// The credential a parsed config file holds for a registry: its credHelpers entry, else its
// credsStore (when a runner was given), else its `auths` entry, most specific key first.
export async function credentialFromConfig(config: ConfigFile, file: string, registry: string, repository: string | undefined, runHelper?: CredentialHelperRunner): Promise<Credential | undefined> {
  const keys = registryKeys(registry);
  const helper = keys.map((k) => config.credHelpers?.[k]).find((h) => h !== undefined);
  if (helper !== undefined) {
    if (!runHelper) throw new RegistryError('REGISTRY_CREDENTIALS', `${file} says credentials for ${registry} come from docker-credential-${helper}, but this program was given no way to run credential helpers (pass runHelper)`);
    return fromHelper(runHelper, helper, registry);
  }
  if (config.credsStore && runHelper) {
    const stored = await fromHelper(runHelper, config.credsStore, registry);
    if (stored) return stored;
  }
  const auths = config.auths ?? {};
  const byKey = new Map(Object.entries(auths).map(([k, v]) => [normalizeKey(k), v] as const));
  const namespaced = repository ? namespaceKeys(registry, repository) : [];
  for (const key of [...namespaced, ...keys]) {
    const entry = byKey.get(key);
    if (entry) return decodeEntry(entry, file, key);
  }
  return undefined;
}

async function fromHelper(runHelper: CredentialHelperRunner, helper: string, registry: string): Promise<Credential | undefined> {
  const server = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
  const out = await runHelper(helper, server);
  if (out === undefined || out.trim() === '') return undefined;
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(out) as { Username?: string; Secret?: string };
  } catch (error) {
    throw new RegistryError('REGISTRY_CREDENTIALS', `docker-credential-${helper} printed something that is not JSON for ${registry} (check the helper with "docker-credential-${helper} get")`, { cause: error });
  }
  if (!parsed.Secret) return undefined;
  if (parsed.Username === '<token>') return { identitytoken: parsed.Secret };
  return { username: parsed.Username ?? '', password: parsed.Secret };
}

function decodeEntry(entry: AuthEntry, file: string, key: string): Credential | undefined {
  if (entry.identitytoken) return { identitytoken: entry.identitytoken };
  if (entry.username !== undefined && entry.password !== undefined && entry.username !== '') return { username: entry.username, password: entry.password };
  if (!entry.auth) return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new RegistryError('REGISTRY_CREDENTIALS', `the "auth" entry for ${key} in ${file} is not base64 of "user:password" (log in again)`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// Keys a registry may be stored under; Docker Hub has several spellings.
function registryKeys(registry: string): string[] {
  if (registry === DOCKER_HUB) return ['index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [registry];
}

// podman's `host/namespace/repo` keys, most specific first.
function namespaceKeys(registry: string, repository: string): string[] {
  const parts = repository.split('/');
  const keys: string[] = [];
  for (let n = parts.length; n >= 1; n--) keys.push(`${registry}/${parts.slice(0, n).join('/')}`);
  if (registry === DOCKER_HUB && repository.startsWith('library/')) keys.push(`${registry}/${repository.slice('library/'.length)}`);
  return keys;
}

// `https://index.docker.io/v1/` → `index.docker.io`; `quay.io/org` stays (podman namespaces).
function normalizeKey(key: string): string {
  const stripped = key.replace(/^[a-z]+:\/\//i, '');
  return /^[a-z]+:\/\//i.test(key) ? (stripped.split('/')[0] ?? stripped) : stripped.replace(/\/+$/, '');
}

// Where credentials come from: the files `docker login` and `podman login` write. The library
// reads files but never starts processes, so credential helpers (`credsStore`, `credHelpers`) run
// through a `runHelper` function the caller injects (core/exec/credential-helper.ts supplies it).
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { type ConfigFile, credentialFromConfig } from './docker-config.ts';
import { RegistryError } from './errors.ts';

export type Credential =
  | { readonly username: string; readonly password: string }
  /** An OAuth2 refresh token (docker's `identitytoken`), exchanged at the token realm. */
  | { readonly identitytoken: string };

export interface Keychain {
  // The credential for a registry (`docker.io`, `host:port`); `repository` lets podman's
  // per-namespace entries (`quay.io/org`) win over the registry-wide one.
  resolve(registry: string, repository?: string): Promise<Credential | undefined>;
}

/**
 * Runs `docker-credential-<helper> get` with `serverUrl` on stdin and returns its stdout (JSON
 * `{"Username","Secret"}`), or undefined when the helper has no entry for that server.
 */
export type CredentialHelperRunner = (helper: string, serverUrl: string) => Promise<string | undefined>;

export interface FileKeychainOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly runHelper?: CredentialHelperRunner;
}

// No credentials at all: every registry is asked anonymously.
export const anonymousKeychain: Keychain = { resolve: async () => undefined };

// A fixed map of registry → credential (flags, tests).
export function staticKeychain(entries: Readonly<Record<string, Credential>>): Keychain {
  return { resolve: async (registry) => entries[registry] };
}

// The files to read, most explicit first: $DOCKER_CONFIG and $REGISTRY_AUTH_FILE (set on purpose),
// then ~/.docker/config.json and podman's $XDG_RUNTIME_DIR and ~/.config auth.json.
export function credentialFiles(options: FileKeychainOptions = {}): string[] {
  const env = options.env ?? process.env;
  const home = options.home ?? env.HOME ?? homedir();
  const files: string[] = [];
  if (env.DOCKER_CONFIG) files.push(join(env.DOCKER_CONFIG, 'config.json'));
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (!env.DOCKER_CONFIG) files.push(join(home, '.docker', 'config.json'));
  if (!env.REGISTRY_AUTH_FILE) {
    if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
    files.push(join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'containers', 'auth.json'));
  }
  return files;
}

// Reads docker's config.json and podman's auth.json (first file with an entry wins), re-reading
// them on each call so a `podman login` during a long run is seen.
export function fileKeychain(options: FileKeychainOptions = {}): Keychain {
  return {
    async resolve(registry, repository) {
      for (const file of credentialFiles(options)) {
        const config = await readConfig(file);
        if (!config) continue;
        const found = await credentialFromConfig(config, file, registry, repository, options.runHelper);
        if (found) return found;
      }
      return undefined;
    },
  };
}

async function readConfig(file: string): Promise<ConfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as ConfigFile;
  } catch (error) {
    throw new RegistryError('REGISTRY_CREDENTIALS', `cannot read credentials from ${file}: ${(error as Error).message} (fix or remove the file)`, { cause: error });
  }
}

// Image references, `[registry[:port]/]repository[:tag][@sha256:…]`, with Docker's defaults
// (docker.io, `library/`, `latest`) and Docker's grammar, so a name means here what it means to
// `docker pull`. Also decides whether a registry may be spoken to over plain HTTP.
import { isDigest } from '../digest.ts';
import type { Digest } from '../types.ts';
import { RegistryError } from './errors.ts';

export const DOCKER_HUB = 'docker.io';

export interface Reference {
  /** `docker.io`, `cgr.dev`, `127.0.0.1:5000`, `[::1]:5000` */
  readonly registry: string;
  /** `library/alpine`, `chainguard/static` */
  readonly repository: string;
  /** Undefined when only a digest was given. */
  readonly tag?: string;
  readonly digest?: Digest;
}

const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const EXAMPLE = 'e.g. "ghcr.io/owner/app:1.0" or "app@sha256:<64 hex>"';

function invalid(text: string, why: string): RegistryError {
  return new RegistryError('REFERENCE_INVALID', `invalid image reference "${text}": ${why} (${EXAMPLE})`);
}

// Parses a reference the way Docker does; throws REFERENCE_INVALID saying which part is wrong.
export function parseReference(text: string, options: { defaultTag?: string } = {}): Reference {
  if (text.trim() === '') throw invalid(text, 'it is empty');
  if (text !== text.trim() || /\s/.test(text)) throw invalid(text, 'it contains whitespace');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw invalid(text, 'leave out the URL scheme');
  let rest = text;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const d = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!d.startsWith('sha256:')) throw invalid(text, `only sha256 digests are supported, got "${d}"`);
    if (!isDigest(d)) throw invalid(text, `the digest must be "sha256:" and 64 lowercase hex characters, got "${d}"`);
    digest = d;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(text, `bad tag "${tag}": up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const isDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first || first.startsWith('['));
  let registry = isDomain ? first : DOCKER_HUB;
  let repository = isDomain ? rest.slice(slash + 1) : rest;
  if (isDomain && !DOMAIN.test(registry)) throw invalid(text, `bad registry host "${registry}"`);
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (repository === '') throw invalid(text, 'the repository name is missing');
  if (repository !== repository.toLowerCase()) {
    throw invalid(text, `repository names must be lowercase, got "${repository}" (use "${repository.toLowerCase()}")`);
  }
  for (const part of repository.split('/')) {
    if (!PATH_COMPONENT.test(part)) {
      throw invalid(text, `bad repository component "${part}": lowercase letters and digits, separated by ".", "_", "__" or "-"`);
    }
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (registry.length + 1 + repository.length > 255) throw invalid(text, 'the name is longer than 255 characters');
  if (tag === undefined && digest === undefined) tag = options.defaultTag ?? 'latest';
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

// The full canonical text of a reference (`docker.io/library/alpine:3.20`).
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

// What goes after /manifests/: the digest when pinned (it wins over a tag), else the tag.
export function manifestTarget(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

// A short name for messages: `app:1.0`, `app@sha256:…`, without the registry.
export function shortName(ref: Reference): string {
  const target = ref.digest ? `@${ref.digest.slice(0, 19)}…` : `:${ref.tag ?? 'latest'}`;
  return `${ref.repository}${target}`;
}

// The host that serves the registry API (Docker Hub's API is not at docker.io).
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

// Plain HTTP leaks credentials and content, so it is allowed only for loopback hosts and for the
// hosts the caller lists explicitly (with or without port).
export function allowsPlainHttp(registry: string, insecureRegistries: readonly string[] = []): boolean {
  const host = hostOf(registry);
  if (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  return insecureRegistries.some((entry) => entry === registry || entry === host);
}

// `host:port` → `host`, `[::1]:5000` → `::1`.
export function hostOf(registry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(registry);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return registry.replace(/:\d+$/, '').toLowerCase();
}

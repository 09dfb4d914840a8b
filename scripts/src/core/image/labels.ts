// The metadata an app image carries: `org.opencontainers.image.*` labels and annotations from
// Cargo.toml and git, and the creation time — from SOURCE_DATE_EPOCH (or 0), never the clock, so
// the same inputs give the same digest.
import { BuildStaticError } from '../../errors.ts';
import { probe } from '../exec/exec.ts';

export interface ImageMetadataInput {
  readonly name: string;
  readonly version: string;
  readonly repository?: string | null;
  readonly description?: string | null;
  readonly revision?: string;
  readonly epoch: number;
  readonly baseName?: string;
  readonly baseDigest?: string;
}

// Reads SOURCE_DATE_EPOCH (seconds since 1970, an integer) or returns 0; anything else is USAGE.
export function sourceDateEpoch(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new BuildStaticError('USAGE', `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got "${raw}"`);
  return Number(raw);
}

// RFC 3339 UTC time for an epoch (what OCI's `created` fields hold).
export function rfc3339(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The git commit of the project, when it is a git checkout with a clean HEAD to name.
export async function gitRevision(dir: string): Promise<string | undefined> {
  const out = await probe(['git', '-C', dir, 'rev-parse', '--verify', 'HEAD']);
  const rev = out?.trim();
  return rev && /^[0-9a-f]{40}$/.test(rev) ? rev : undefined;
}

// The org.opencontainers.image.* keys, sorted, with empty values left out.
export function imageAnnotations(m: ImageMetadataInput): Record<string, string> {
  const entries: Array<[string, string | undefined | null]> = [
    ['org.opencontainers.image.base.digest', m.baseDigest],
    ['org.opencontainers.image.base.name', m.baseName],
    ['org.opencontainers.image.created', rfc3339(m.epoch)],
    ['org.opencontainers.image.description', m.description],
    ['org.opencontainers.image.revision', m.revision],
    ['org.opencontainers.image.source', m.repository],
    ['org.opencontainers.image.title', m.name],
    ['org.opencontainers.image.version', m.version],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

// Choosing one image out of a multi-platform index: `os/arch[/variant]` matching with the usual
// aliases and default variants, skipping attestation manifests (BuildKit's `unknown/unknown`
// entries and anything annotated `vnd.docker.reference.type`).
import type { Descriptor, ImageIndex, OciPlatform } from '../types.ts';
import { RegistryError, registryError } from './errors.ts';

const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7' };

// `linux/arm64/v8` → { os, architecture, variant }; throws REFERENCE_INVALID when malformed.
export function parsePlatform(text: string): OciPlatform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/i.test(p))) {
    throw new RegistryError('REFERENCE_INVALID', `invalid platform "${text}": expected os/arch[/variant] such as linux/amd64 or linux/arm64`);
  }
  const [os, arch, variant] = parts as [string, string, string?];
  const architecture = ARCH_ALIASES[arch.toLowerCase()] ?? arch.toLowerCase();
  return { os: os.toLowerCase(), architecture, ...(variant ? { variant: variant.toLowerCase() } : {}) };
}

// `linux/arm64` (with `/variant` when there is one).
export function formatPlatform(p: OciPlatform | undefined): string {
  if (!p) return 'unknown';
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

// True for index entries that are attestations or other non-runnable artifacts, not images.
export function isAttestation(d: Descriptor): boolean {
  if (d.annotations?.['vnd.docker.reference.type'] !== undefined) return true;
  return d.platform?.os === 'unknown' || d.platform?.architecture === 'unknown';
}

// The runnable platforms of an index, in order (what a "missing platform" error lists).
export function indexPlatforms(index: ImageIndex): string[] {
  return index.manifests.filter((d) => !isAttestation(d) && d.platform).map((d) => formatPlatform(d.platform));
}

// Whether an image's platform satisfies the one asked for; a missing variant matches any, with
// arm64's `v8` and arm's `v7` treated as the defaults.
export function platformMatches(want: OciPlatform, have: OciPlatform | undefined): boolean {
  if (!have || have.os !== want.os) return false;
  const arch = ARCH_ALIASES[have.architecture] ?? have.architecture;
  if (arch !== want.architecture) return false;
  if (!want.variant) return true;
  return (have.variant ?? DEFAULT_VARIANT[arch]) === want.variant;
}

// The index entry for a platform, preferring the default variant; throws PLATFORM_MISSING
// listing the platforms the index has.
export function selectManifest(index: ImageIndex, want: OciPlatform, where: { registry: string; name: string; action: string }): Descriptor {
  const candidates = index.manifests.filter((d) => !isAttestation(d) && platformMatches(want, d.platform));
  const preferred = candidates.find((d) => !d.platform?.variant || d.platform.variant === DEFAULT_VARIANT[want.architecture]);
  const found = preferred ?? candidates[0];
  if (found) return found;
  const available = indexPlatforms(index);
  throw registryError(
    'REGISTRY_PLATFORM_MISSING',
    {
      head: `${where.registry}/${where.name} has no ${formatPlatform(want)} image`,
      action: where.action,
      what: available.length > 0 ? `it has ${available.join(', ')}` : 'its index lists no runnable platforms',
      hint: available.length > 0 ? `choose one of ${available.join(', ')}, or publish a ${formatPlatform(want)} image` : 'it may hold only attestations or artifacts',
    },
    { registry: where.registry },
  );
}

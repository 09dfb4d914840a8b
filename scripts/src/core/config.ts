// Build settings from three layers — [workspace.metadata.build-static], then
// [package.metadata.build-static], then command-line flags (flags win). Unknown keys and wrong
// types are errors: a typo must not silently build the wrong thing.
import { BuildStaticError } from '../errors.ts';
import { type Platform, parsePlatforms } from './platform.ts';

export const ALLOCATORS = ['auto', 'mimalloc', 'mimalloc-secure', 'system'] as const;
export type Allocator = (typeof ALLOCATORS)[number];
export const STD_SOURCES = ['auto', 'prebuilt', 'rustup', 'sysroot', 'build-std'] as const;
export type StdChoice = (typeof STD_SOURCES)[number];

export interface BuildConfig {
  readonly platforms: readonly Platform[];
  readonly bin?: string;
  readonly profile: string;
  readonly features: readonly string[];
  readonly noDefaultFeatures: boolean;
  readonly allocator: Allocator;
  readonly std: StdChoice;
  readonly base?: string;
  readonly tag?: string;
}

/** One layer of settings, as written by the user (Cargo.toml table or flags). */
export interface ConfigLayer {
  readonly platforms?: readonly string[];
  readonly bin?: string;
  readonly profile?: string;
  readonly features?: readonly string[];
  readonly noDefaultFeatures?: boolean;
  readonly allocator?: string;
  readonly std?: string;
  readonly base?: string;
  readonly tag?: string;
}

type Kind = 'string' | 'string-list' | 'boolean';
const KEYS: Record<string, [keyof ConfigLayer, Kind]> = {
  platforms: ['platforms', 'string-list'],
  bin: ['bin', 'string'],
  profile: ['profile', 'string'],
  features: ['features', 'string-list'],
  'no-default-features': ['noDefaultFeatures', 'boolean'],
  allocator: ['allocator', 'string'],
  std: ['std', 'string'],
  base: ['base', 'string'],
  tag: ['tag', 'string'],
};

export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64'];

// Reads a `metadata.build-static` table (already parsed by cargo) into a layer, naming the
// table and the key in every error.
export function layerFromMetadata(table: unknown, where: string): ConfigLayer {
  if (table === undefined || table === null) return {};
  if (typeof table !== 'object' || Array.isArray(table)) {
    throw new BuildStaticError('CONFIG_INVALID', `${where} must be a table, e.g. [package.metadata.build-static]`);
  }
  const layer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const spec = KEYS[key];
    if (!spec) {
      throw new BuildStaticError('CONFIG_INVALID', `unknown key "${key}" in ${where}: known keys are ${Object.keys(KEYS).join(', ')}`);
    }
    const [field, kind] = spec;
    if (kind === 'boolean' && typeof value !== 'boolean') throw typeError(where, key, 'true or false');
    if (kind === 'string' && typeof value !== 'string') throw typeError(where, key, 'a string');
    if (kind === 'string-list') {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) throw typeError(where, key, 'a list of strings');
      layer[field] = list;
    } else {
      layer[field] = value;
    }
  }
  return layer as ConfigLayer;
}

function typeError(where: string, key: string, expected: string): BuildStaticError {
  return new BuildStaticError('CONFIG_INVALID', `"${key}" in ${where} must be ${expected}`);
}

// Merges layers (later wins, per key) and validates the values.
export function resolveConfig(layers: readonly ConfigLayer[]): BuildConfig {
  const merged: ConfigLayer = Object.assign({}, ...layers.map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined))));
  const allocator = merged.allocator ?? 'auto';
  if (!(ALLOCATORS as readonly string[]).includes(allocator)) {
    throw new BuildStaticError('USAGE', `unknown allocator "${allocator}": use one of ${ALLOCATORS.join(', ')}`);
  }
  const std = merged.std ?? 'auto';
  if (!(STD_SOURCES as readonly string[]).includes(std)) {
    throw new BuildStaticError('USAGE', `unknown std source "${std}": use one of ${STD_SOURCES.join(', ')}`);
  }
  const profile = merged.profile ?? 'release';
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(profile)) throw new BuildStaticError('USAGE', `invalid profile name "${profile}"`);
  return {
    platforms: parsePlatforms(merged.platforms ?? DEFAULT_PLATFORMS),
    ...(merged.bin !== undefined ? { bin: merged.bin } : {}),
    profile,
    features: (merged.features ?? []).flatMap((f) => f.split(/[ ,]+/)).filter((f) => f !== ''),
    noDefaultFeatures: merged.noDefaultFeatures ?? false,
    allocator: allocator as Allocator,
    std: std as StdChoice,
    ...(merged.base !== undefined ? { base: merged.base } : {}),
    ...(merged.tag !== undefined ? { tag: merged.tag } : {}),
  };
}

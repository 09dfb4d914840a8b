// `build --engine`: which container engine builds the rendered Dockerfile, and the flags that
// only make sense for some engines. Checked before anything runs, each bad combination one line.
import { BuildStaticError } from '../../errors.ts';
import { parseReference } from '../../oci/registry/reference.ts';
import { parseChefImage, type ChefImage } from '../dockerfile/chef-image.ts';
import { type CargoCache, parseCargoCache } from '../dockerfile/render.ts';

export const ENGINES = ['native', 'buildx', 'docker', 'podman'] as const;
export type Engine = (typeof ENGINES)[number];
export type ContainerEngine = Exclude<Engine, 'native'>;

/** The engine flags as given on the command line. */
export interface EngineFlags {
  readonly engine?: string;
  readonly tag?: string;
  readonly push?: boolean;
  readonly load?: boolean;
  readonly builder?: string;
  readonly cacheRef?: string;
  readonly buildArgs?: readonly string[];
  readonly chefImage?: string;
  readonly base?: string;
  readonly insecureRegistries?: readonly string[];
  readonly engineArgs?: readonly string[];
  readonly cargoCache?: string;
  readonly sbom?: boolean;
}

/** Checked engine flags for a container engine. */
export interface EngineRequest {
  readonly engine: ContainerEngine;
  readonly tag?: string;
  readonly push: boolean;
  readonly load: boolean;
  readonly builder?: string;
  readonly cacheRef?: string;
  readonly buildArgs: ReadonlyArray<readonly [string, string]>;
  readonly chef?: ChefImage;
  readonly base?: string;
  readonly insecureRegistries: readonly string[];
  /** Passed as they are to the engine's build command (e.g. --network=host, --secret=…). */
  readonly engineArgs: readonly string[];
  /** Where the Dockerfile keeps cargo's files: `layer` when a registry cache is asked for. */
  readonly cargoCache: CargoCache;
  /** buildx: `--sbom=true`, BuildKit's SBOM attestation per platform (its scanner is an image it pulls). */
  readonly sbom: boolean;
}

const ENGINE_ONLY: ReadonlyArray<[keyof EngineFlags, string]> = [
  ['tag', '--tag'], ['push', '--push'], ['load', '--load'], ['builder', '--builder'], ['cacheRef', '--cache-ref'],
  ['buildArgs', '--build-arg'], ['chefImage', '--chef-image'], ['base', '--base'], ['insecureRegistries', '--insecure-registry'],
  ['engineArgs', '--engine-arg'], ['cargoCache', '--cargo-cache'], ['sbom', '--sbom'],
];

function given(value: unknown): boolean {
  return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}

// Parses `--engine` (default native). Returns undefined for native, after refusing engine-only flags.
export function engineRequest(flags: EngineFlags): EngineRequest | undefined {
  const engine = flags.engine ?? 'native';
  if (!(ENGINES as readonly string[]).includes(engine)) throw new BuildStaticError('USAGE', `unknown engine "${engine}": use one of ${ENGINES.join(', ')}`);
  if (engine === 'native') {
    const stray = ENGINE_ONLY.find(([key]) => given(flags[key]));
    if (stray) throw new BuildStaticError('USAGE', `${stray[1]} needs --engine buildx|docker|podman (for a daemonless image from the native build, use build-static image)`);
    return undefined;
  }
  if (flags.builder !== undefined && engine !== 'buildx') throw new BuildStaticError('USAGE', `--builder picks a docker buildx builder: it needs --engine buildx, not ${engine}`);
  if (flags.sbom && engine !== 'buildx') throw new BuildStaticError('USAGE', `--sbom asks BuildKit for SBOM attestations, which needs --engine buildx (the native build always writes SBOMs into OUT)`);
  if (flags.cacheRef !== undefined && engine !== 'buildx') throw new BuildStaticError('USAGE', `--cache-ref exports the build cache to a registry, which needs --engine buildx (${engine} keeps its cache locally)`);
  if (given(flags.insecureRegistries) && engine === 'docker') throw new BuildStaticError('USAGE', '--insecure-registry cannot be passed to a Docker engine build: list the registry in the daemon\'s "insecure-registries" (loopback registries already are)');
  if (flags.push && flags.tag === undefined) throw new BuildStaticError('USAGE', '--push needs --tag REGISTRY/REPOSITORY[:TAG], e.g. --tag 127.0.0.1:5000/app:1.0');
  if (flags.tag !== undefined && parseReference(flags.tag).digest) throw new BuildStaticError('USAGE', `--tag names the image to write: leave out the @sha256 digest in "${flags.tag}"`);
  if (flags.cacheRef !== undefined) parseReference(flags.cacheRef);
  if (flags.base !== undefined && flags.base.startsWith('oci-layout:')) throw new BuildStaticError('USAGE', `--base ${flags.base}: a Dockerfile build needs a registry reference (push the layout first)`);
  if (flags.base !== undefined && flags.base !== 'scratch') parseReference(flags.base);
  const stray = (flags.engineArgs ?? []).find((a) => !a.startsWith('-'));
  if (stray !== undefined) throw new BuildStaticError('USAGE', `--engine-arg "${stray}" is not an option of the engine's build command: give each as one word, e.g. --engine-arg=--network=host`);
  return {
    engine: engine as ContainerEngine,
    ...(flags.tag !== undefined ? { tag: flags.tag } : {}),
    push: flags.push === true,
    load: flags.load === true,
    ...(flags.builder !== undefined ? { builder: flags.builder } : {}),
    ...(flags.cacheRef !== undefined ? { cacheRef: flags.cacheRef } : {}),
    buildArgs: (flags.buildArgs ?? []).map(buildArg),
    ...(flags.chefImage !== undefined ? { chef: parseChefImage(flags.chefImage) } : {}),
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    insecureRegistries: flags.insecureRegistries ?? [],
    engineArgs: flags.engineArgs ?? [],
    // A registry cache only helps if the compiled dependencies are in a layer: cache mounts are
    // never exported. So --cache-ref picks `layer` unless the user chose.
    cargoCache: parseCargoCache(flags.cargoCache) ?? (flags.cacheRef !== undefined ? 'layer' : 'mount'),
    sbom: flags.sbom === true,
  };
}

// `K=V` → [K, V]; the key must be a Dockerfile ARG name.
function buildArg(text: string): readonly [string, string] {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new BuildStaticError('USAGE', `--build-arg must be NAME=VALUE, got "${text}"`);
  return [key, text.slice(eq + 1)];
}

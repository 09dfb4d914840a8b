// Pure planning for `build --engine`: the exact engine commands ({argv, env, cwd}) that build the
// rendered Dockerfile for every platform. `--dry-run` prints this plan; engine.ts runs it.
import type { Step } from '../exec/exec.ts';
import { allowsPlainHttp, parseReference } from '../../oci/registry/index.ts';
import { DEFAULT_BASE } from '../image/default-base.ts';
import { CHEF_IMAGE_NAME, DEFAULT_CHEF_ORG, DEFAULT_CHEF_TAG } from '../dockerfile/render.ts';
import type { Platform } from '../platform.ts';
import type { ContainerEngine, EngineRequest } from './options.ts';

export interface EnginePlanInput {
  readonly request: EngineRequest;
  readonly platforms: readonly Platform[];
  /** The machine's platform: buildah needs BUILDPLATFORM spelled out. */
  readonly hostPlatform: Platform;
  readonly contextDir: string;
  /** The rendered Dockerfile (a temp file, never in the user's tree). */
  readonly dockerfile: string;
  /** A .dockerignore for podman's --ignorefile when the context has none. */
  readonly ignorefile?: string;
  /** A temp directory for the engine's metadata/digest file. */
  readonly workDir: string;
  /** The image reference written (or the local name). */
  readonly tag: string;
  /** BASE_IMAGE from Cargo.toml's `base` setting, when set. */
  readonly configBase?: string;
  /** Labels that change per build (revision), passed with --label. */
  readonly labels: Readonly<Record<string, string>>;
  readonly sourceDateEpoch?: number;
}

export interface EngineStep extends Step {
  /** A stale manifest list may not exist: this step's failure is expected and ignored. */
  readonly allowFailure?: boolean;
}

export interface EnginePlan {
  readonly engine: ContainerEngine;
  readonly steps: readonly EngineStep[];
  /** The image references the steps produce (one per platform with the docker engine). */
  readonly images: readonly string[];
  /** Where the engine writes the pushed digest (buildx metadata JSON, podman digest file). */
  readonly digestFile?: string;
  /** After the steps, build-static itself writes this index of the pushed per-platform images. */
  readonly index?: { readonly tag: string; readonly sources: readonly string[] };
}

// The build args: chef image and base from flags or Cargo.toml, then the user's --build-arg (last wins).
function buildArgs(input: EnginePlanInput): Map<string, string> {
  const { request } = input;
  const args = new Map<string, string>();
  if (request.chef) args.set('MUSLRUST_CHEF_ORG', request.chef.org).set('MUSLRUST_CHEF_TAG', request.chef.tag);
  const base = request.base ?? input.configBase;
  if (base !== undefined) args.set('BASE_IMAGE', base);
  for (const [k, v] of request.buildArgs) args.set(k, v);
  return args;
}

// True when any registry the build talks to may (must) be reached over plain HTTP.
function plainHttp(input: EnginePlanInput, args: Map<string, string>): boolean {
  const chef = `${args.get('MUSLRUST_CHEF_ORG') ?? DEFAULT_CHEF_ORG}/${CHEF_IMAGE_NAME}:${args.get('MUSLRUST_CHEF_TAG') ?? DEFAULT_CHEF_TAG}`;
  const refs = [chef, args.get('BASE_IMAGE') ?? DEFAULT_BASE, input.tag].filter((r) => r !== 'scratch');
  return refs.some((r) => {
    try {
      return allowsPlainHttp(parseReference(r).registry, input.request.insecureRegistries);
    } catch {
      return false;
    }
  });
}

function commonArgs(input: EnginePlanInput, args: Map<string, string>): string[] {
  const out = ['-f', input.dockerfile];
  for (const [k, v] of args) out.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(input.labels)) out.push('--label', `${k}=${v}`);
  out.push(...input.request.engineArgs);
  return out;
}

// `repo:tag` → `repo:tag-arm64`: one image per platform when the engine cannot write an index.
export function archTag(tag: string, platform: Platform): string {
  const ref = parseReference(tag);
  const at = tag.indexOf('@');
  const name = at < 0 ? tag : tag.slice(0, at);
  const colon = name.lastIndexOf(':');
  const repo = colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
  return `${repo}:${ref.tag ?? 'latest'}-${platform.arch}`;
}

function planBuildx(input: EnginePlanInput, args: Map<string, string>): EnginePlan {
  const { request } = input;
  const argv = ['docker', 'buildx', 'build', '--progress=plain'];
  if (request.builder) argv.push('--builder', request.builder);
  argv.push('--platform', input.platforms.map((p) => p.id).join(','), ...commonArgs(input, args));
  if (input.sourceDateEpoch !== undefined) argv.push('--build-arg', `SOURCE_DATE_EPOCH=${input.sourceDateEpoch}`);
  if (request.cacheRef) {
    const insecure = allowsPlainHttp(parseReference(request.cacheRef).registry, request.insecureRegistries) ? ',registry.insecure=true' : '';
    argv.push('--cache-from', `type=registry,ref=${request.cacheRef}${insecure}`, '--cache-to', `type=registry,ref=${request.cacheRef},mode=max${insecure}`);
  }
  argv.push('--tag', input.tag);
  if (request.sbom) argv.push('--sbom=true');
  if (request.push) {
    const insecure = allowsPlainHttp(parseReference(input.tag).registry, request.insecureRegistries);
    argv.push(...(insecure ? ['--output', `type=image,name=${input.tag},push=true,registry.insecure=true`] : ['--push']));
  }
  if (request.load) argv.push('--load');
  const digestFile = `${input.workDir}/metadata.json`;
  argv.push('--metadata-file', digestFile, input.contextDir);
  return { engine: 'buildx', steps: [{ argv, cwd: input.contextDir }], images: [input.tag], digestFile };
}

function planDocker(input: EnginePlanInput, args: Map<string, string>): EnginePlan {
  const several = input.platforms.length > 1;
  const env = { DOCKER_BUILDKIT: '1' };
  const steps: EngineStep[] = [];
  const images: string[] = [];
  for (const p of input.platforms) {
    const tag = several ? archTag(input.tag, p) : input.tag;
    images.push(tag);
    const argv = ['docker', 'build', '--progress=plain', '--platform', p.id, ...commonArgs(input, args)];
    if (input.sourceDateEpoch !== undefined) argv.push('--build-arg', `SOURCE_DATE_EPOCH=${input.sourceDateEpoch}`);
    steps.push({ argv: [...argv, '--tag', tag, input.contextDir], env, cwd: input.contextDir });
  }
  if (!input.request.push) return { engine: 'docker', steps, images };
  for (const tag of images) steps.push({ argv: ['docker', 'push', tag], env, cwd: input.contextDir });
  // The engine pushes one image per platform; the registry API then ties them into one index.
  return { engine: 'docker', steps, images, ...(several ? { index: { tag: input.tag, sources: images } } : {}) };
}

function planPodman(input: EnginePlanInput, args: Map<string, string>): EnginePlan {
  const tls = plainHttp(input, args) ? ['--tls-verify=false'] : [];
  // `--manifest` appends to an existing list and refuses a plain image of that name (which a
  // `podman run`/`pull` of the pushed tag leaves behind), so whatever holds the name goes first.
  const steps: EngineStep[] = [{ argv: ['podman', 'rmi', '--ignore', input.tag], cwd: input.contextDir, allowFailure: true }];
  const argv = ['podman', 'build', '--platform', input.platforms.map((p) => p.id).join(','), '--manifest', input.tag];
  argv.push('--build-arg', `BUILDPLATFORM=${input.hostPlatform.id}`, ...commonArgs(input, args), ...tls);
  if (input.sourceDateEpoch !== undefined) argv.push('--timestamp', String(input.sourceDateEpoch));
  if (input.ignorefile) argv.push('--ignorefile', input.ignorefile);
  steps.push({ argv: [...argv, input.contextDir], cwd: input.contextDir });
  if (!input.request.push) return { engine: 'podman', steps, images: [input.tag] };
  const digestFile = `${input.workDir}/digest`;
  steps.push({ argv: ['podman', 'manifest', 'push', '--all', ...tls, '--digestfile', digestFile, input.tag, `docker://${input.tag}`], cwd: input.contextDir });
  return { engine: 'podman', steps, images: [input.tag], digestFile };
}

// The engine's commands for the request; the first step of podman's may fail harmlessly.
export function planEngine(input: EnginePlanInput): EnginePlan {
  const args = buildArgs(input);
  switch (input.request.engine) {
    case 'buildx':
      return planBuildx(input, args);
    case 'docker':
      return planDocker(input, args);
    case 'podman':
      return planPodman(input, args);
  }
}

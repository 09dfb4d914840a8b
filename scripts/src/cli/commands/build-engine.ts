// The `--engine` half of `build-static build`: its flags, its help section, and the command that
// builds the rendered Dockerfile with docker buildx, a Docker engine or podman.
import type { EngineBuildResult } from '../../core/engine/engine.ts';
import { type EngineRequest, engineRequest } from '../../core/engine/options.ts';
import { escapeStep } from '../../core/exec/escape.ts';
import { BuildStaticError } from '../../errors.ts';
import { type FlagValue, listFlag, repeatedFlag, stringFlag } from '../args.ts';
import type { CommandContext } from '../context.ts';
import { cargoFlagsFrom } from './build-options.ts';

export const ENGINE_OPTIONS = {
  engine: { type: 'string' },
  tag: { type: 'string' },
  push: { type: 'boolean' },
  load: { type: 'boolean' },
  builder: { type: 'string' },
  'cache-ref': { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  'chef-image': { type: 'string' },
  base: { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  'engine-arg': { type: 'string', multiple: true },
  'cargo-cache': { type: 'string' },
  sbom: { type: 'boolean' },
} as const;

export const ENGINE_HELP = `Container engines (the Dockerfile of "build-static dockerfile", written to a temp dir):
  --engine NAME          native (default: this machine's toolchains, writes OUT) | buildx | docker |
                         podman. Every engine compiles on the build machine's platform and
                         cross-compiles for each --platform: no QEMU in the compiling stages.
                         buildx:  one "docker buildx build --platform A,B" → one multi-platform index
                                  (with --builder, on any BuildKit: remote builders scale out)
                         docker:  one "docker build --platform P" per platform (the engine's own
                                  BuildKit, DOCKER_BUILDKIT=1); with several platforms each image is
                                  tagged REF-<arch>; with --push build-static then writes REF
                                  as one index of them (registry API)
                         podman:  "podman build --platform A,B --manifest REF" (a list or image of that
                                  name is removed first), then "podman manifest push --all" for --push
  --tag REF              the image reference (default: Cargo.toml's tag, else localhost/<bin>:latest)
  --push                 push to the registry in --tag
  --load                 buildx: load the result into the Docker engine (podman keeps it locally)
  --builder NAME         buildx builder (docker buildx create --driver remote unix://… or tcp://…)
  --cache-ref REF        buildx: --cache-from/--cache-to type=registry,ref=REF,mode=max (implies
                         --cargo-cache layer, so the compiled dependencies travel with it)
  --sbom                 buildx: --sbom=true, an SBOM attestation per platform (off by default:
                         BuildKit pulls its scanner image docker/buildkit-syft-scanner to make it)
  --cargo-cache MODE     mount (default) | layer: see "build-static dockerfile --help"
  --build-arg K=V        extra build arg (repeatable); later ones win
  --chef-image REF       ORG/muslrust-chef:TAG for the compiling stages (default
                         build-static/muslrust-chef:latest)
  --base IMAGE           the run image (default Cargo.toml's base, else cgr.dev/chainguard/static:latest)
  --insecure-registry H  plain HTTP for registry H (loopback registries always may); buildx and
                         podman only — a Docker engine reads its daemon.json
  --engine-arg=ARG       one more option for the engine's build command, as it is (repeatable):
                         --engine-arg=--network=host, --engine-arg=--secret=id=npm,src=F
  With --dry-run the exact engine commands are printed and the temp Dockerfile is kept.`;

// The checked engine request from the parsed flags (undefined for the native build).
export function engineRequestFrom(values: Record<string, FlagValue>): EngineRequest | undefined {
  const request = engineRequest({
    engine: stringFlag(values.engine),
    tag: stringFlag(values.tag),
    push: values.push === true,
    load: values.load === true,
    builder: stringFlag(values.builder),
    cacheRef: stringFlag(values['cache-ref']),
    buildArgs: repeatedFlag(values['build-arg']),
    chefImage: stringFlag(values['chef-image']),
    base: stringFlag(values.base),
    insecureRegistries: listFlag(values['insecure-registry']) ?? [],
    engineArgs: repeatedFlag(values['engine-arg']),
    cargoCache: stringFlag(values['cargo-cache']),
    sbom: values.sbom === true,
  });
  if (request) {
    const native = (['out', 'allocator', 'std', 'auditable'] as const).find((flag) => values[flag] !== undefined);
    if (native)
      throw new BuildStaticError(
        'USAGE',
        `--${native} applies to the native build only: --engine ${request.engine} builds an image from the Dockerfile`,
      );
  }
  return request;
}

// Runs an engine build for `build --engine …`; returns the exit code.
export async function engineBuildCommand(
  request: EngineRequest,
  values: Record<string, FlagValue>,
  dir: string,
  ctx: CommandContext,
): Promise<number> {
  // Loaded here: the engine path's registry and Dockerfile code is not the native build's.
  const { engineBuild } = await import('../../core/engine/engine.ts');
  const result = await engineBuild({
    dir,
    request,
    platforms: listFlag(values.platform),
    ...cargoFlagsFrom(values),
    dryRun: values['dry-run'] === true,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onCommand: (command) => ctx.stderr(`$ ${command}`),
    onLine: (line) => ctx.stderr(`[${request.engine}] ${line}`),
  });
  ctx.stdout(ctx.json ? JSON.stringify(resultJson(result)) : human(result));
  return 0;
}

function resultJson(r: EngineBuildResult) {
  return {
    ok: true,
    dryRun: r.dryRun,
    engine: r.plan.engine,
    context: r.contextDir,
    dockerfile: r.dockerfile,
    tag: r.tag,
    images: r.plan.images,
    ...(r.plan.index ? { index: r.plan.index.tag } : {}),
    ...(r.digest ? { digest: r.digest } : {}),
    plan: r.plan.steps.map((s) => ({ argv: s.argv, env: s.env ?? {}, cwd: s.cwd, ...(s.allowFailure ? { allowFailure: true } : {}) })),
  };
}

function human(r: EngineBuildResult): string {
  if (r.dryRun) {
    const head = `# ${r.plan.engine}: Dockerfile ${r.dockerfile} (kept for this dry run), build context ${r.contextDir}`;
    const index = r.plan.index
      ? [`# then build-static writes the index ${r.plan.index.tag} of ${r.plan.index.sources.join(', ')} (registry API)`]
      : [];
    return [head, ...r.plan.steps.map((s) => `cd ${s.cwd} && ${escapeStep(s)}${s.allowFailure ? ' || true' : ''}`), ...index].join('\n');
  }
  const index = r.plan.index ? `; index ${r.plan.index.tag}` : '';
  return `built ${r.plan.images.join(', ')} with ${r.plan.engine}${index}${r.digest ? ` (${r.digest})` : ''}`;
}

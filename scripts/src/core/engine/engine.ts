// `build --engine buildx|docker|podman`: render the project's Dockerfile into a temp directory
// (never the user's tree), plan the engine's commands and run them, streaming the engine's output.
// A dry run keeps the temp Dockerfile so the printed commands can be pasted as they are.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import { fileKeychain, parseReference, pushIndexOf } from '../../oci/registry/index.ts';
import { credentialHelperRunner } from '../exec/credential-helper.ts';
import type { ConfigLayer } from '../config.ts';
import { dockerfileProject } from '../dockerfile/project.ts';
import { entrypointOf } from '../dockerfile/entrypoint.ts';
import { escapeStep } from '../exec/escape.ts';
import { probe, runStep } from '../exec/exec.ts';
import { removeQuietly, which } from '../fs.ts';
import { gitRevision, sourceDateEpoch } from '../image/labels.ts';
import { hostPlatform } from '../platform.ts';
import type { EngineRequest } from './options.ts';
import { type EnginePlan, planEngine } from './plan.ts';

export interface EngineBuildOptions extends ConfigLayer {
  readonly dir: string;
  readonly request: EngineRequest;
  readonly dryRun?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Each command as it starts, then every line the engine prints. */
  readonly onCommand?: (command: string) => void;
  readonly onLine?: (line: string) => void;
}

export interface EngineBuildResult {
  readonly plan: EnginePlan;
  readonly contextDir: string;
  /** The temp directory with the Dockerfile (kept only for a dry run). */
  readonly workDir: string;
  readonly dockerfile: string;
  readonly tag: string;
  readonly digest?: string;
  readonly dryRun: boolean;
}

// Renders, plans and (unless dryRun) runs the engine build; the temp files go away afterwards.
export async function engineBuild(options: EngineBuildOptions): Promise<EngineBuildResult> {
  const env = options.env ?? process.env;
  const epoch = env.SOURCE_DATE_EPOCH ? sourceDateEpoch(env) : undefined;
  const project = await dockerfileProject(options.dir, options, { cargoCache: options.request.cargoCache }, env);
  const host = hostPlatform();
  if (!host) throw new BuildStaticError('UNKNOWN_PLATFORM', `this machine's architecture (${process.arch}) is not one build-static knows`);
  const entry = entrypointOf(project.input.binaries);
  const tag = options.request.tag ?? project.config.tag ?? `localhost/${entry.name}:latest`;
  const revision = await gitRevision(project.contextDir);
  const workDir = await mkdtemp(join(tmpdir(), 'build-static-engine-'));
  const dockerfile = join(workDir, 'Dockerfile');
  const ignorefile = join(workDir, 'Dockerfile.dockerignore');
  await writeFile(dockerfile, project.dockerfile);
  if (!project.hasDockerignore) await writeFile(ignorefile, project.dockerignore);
  const plan = planEngine({
    request: options.request,
    platforms: project.config.platforms,
    hostPlatform: host,
    contextDir: project.contextDir,
    dockerfile,
    ...(project.hasDockerignore ? {} : { ignorefile }),
    workDir,
    tag,
    ...(project.config.base !== undefined ? { configBase: project.config.base } : {}),
    labels: revision ? { 'org.opencontainers.image.revision': revision } : {},
    ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
  });
  const result = { plan, contextDir: project.contextDir, workDir, dockerfile, tag, dryRun: options.dryRun === true };
  if (options.dryRun) return result;
  try {
    await requireEngine(plan, env);
    await runEngine(plan, options);
    const digest = plan.index ? await writeIndex(plan.index, options) : plan.digestFile ? await readDigest(plan.digestFile) : undefined;
    return { ...result, ...(digest ? { digest } : {}) };
  } finally {
    await removeQuietly(workDir);
  }
}

// Fails with TOOL_MISSING (exit 3) before any build when the engine's CLI is not installed.
async function requireEngine(plan: EnginePlan, env: NodeJS.ProcessEnv): Promise<void> {
  const cli = plan.engine === 'podman' ? 'podman' : 'docker';
  if (!(await which(cli, env))) throw new BuildStaticError('TOOL_MISSING', `${cli} is not on PATH: install it (./setup.sh installs podman; docker needs the Docker CLI)`);
  if (plan.engine === 'buildx' && (await probe(['docker', 'buildx', 'version'])) === undefined) {
    throw new BuildStaticError('TOOL_MISSING', 'docker buildx is not installed: run ./setup.sh (it builds the buildx plugin into ~/.docker/cli-plugins)');
  }
}

async function runEngine(plan: EnginePlan, options: EngineBuildOptions): Promise<void> {
  const onLine = options.onLine ?? (() => undefined);
  for (const step of plan.steps) {
    options.onCommand?.(escapeStep(step));
    try {
      await runStep(step, { onStdoutLine: onLine, onStderrLine: onLine, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      if (!step.allowFailure) throw error;
    }
  }
}

// The Docker engine pushed one image per platform: one index at the tag lists them all.
async function writeIndex(index: NonNullable<EnginePlan['index']>, options: EngineBuildOptions): Promise<string> {
  options.onCommand?.(`# index ${index.tag} of ${index.sources.join(', ')} (registry API)`);
  const result = await pushIndexOf(parseReference(index.tag), index.sources.map((s) => parseReference(s)), {
    keychain: fileKeychain({ runHelper: credentialHelperRunner() }),
    insecureRegistries: [...options.request.insecureRegistries],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return result.digest;
}

// buildx's metadata JSON has `containerimage.digest`; podman's digest file is the digest itself.
async function readDigest(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const match = /sha256:[0-9a-f]{64}/.exec(file.endsWith('.json') ? String((JSON.parse(text) as Record<string, unknown>)['containerimage.digest'] ?? '') : text);
  return match?.[0];
}

// Reads a Cargo project into the renderer's input: its binaries and settings (cargo metadata and
// [package|workspace.metadata.build-static], flags winning), where the build context is, and
// whether it already has a .dockerignore. Needs a cargo for the metadata, no target toolchain.
import { join, relative } from 'node:path';
import process from 'node:process';
import { BuildStaticError } from '../../errors.ts';
import type { BuildConfig, ConfigLayer } from '../config.ts';
import { resolveProject } from '../build/resolve.ts';
import { exists } from '../fs.ts';
import { type DockerfileAllocator, dockerfileAllocator } from './allocator.ts';
import { type DockerfileDefaults, type DockerfileInput, renderDockerfile, renderDockerignore } from './render.ts';

export interface DockerfileProject {
  /** The build context: the workspace root (where Cargo.lock and the recipe live). */
  readonly contextDir: string;
  readonly input: DockerfileInput;
  readonly config: BuildConfig;
  /** True when the context already has its own .dockerignore (it wins over ours). */
  readonly hasDockerignore: boolean;
  /** Which allocator the image's binaries get, and a note when it is not `build`'s. */
  readonly allocator: DockerfileAllocator;
  readonly dockerfile: string;
  readonly dockerignore: string;
}

// Resolves the project in DIR and renders its Dockerfile and .dockerignore (the base defaults to
// the `base` setting in Cargo.toml, as for `build-static image`).
export async function dockerfileProject(dir: string, flags: ConfigLayer, defaults: DockerfileDefaults = {}, env: NodeJS.ProcessEnv = process.env): Promise<DockerfileProject> {
  const project = await resolveProject(dir, flags, env);
  const base = defaults.base ?? project.config.base;
  if (base?.startsWith('oci-layout:')) {
    throw new BuildStaticError('USAGE', `a Dockerfile cannot start FROM ${base}: push that base to a registry and pass its reference with --base`);
  }
  const contextDir = project.meta.workspace_root;
  const allocator = dockerfileAllocator(project.meta, project.config, project.binaries);
  const input: DockerfileInput = {
    allocatorLine: allocator.line,
    ...(allocator.env ? { allocatorEnv: allocator.env } : {}),
    config: project.config,
    binaries: project.binaries,
    lockfile: project.lockfile,
    ...(project.config.bin !== undefined ? { prepareBin: project.config.bin } : {}),
    ...(project.rustVersion ? { rustVersion: project.rustVersion } : {}),
  };
  const targetDir = relative(contextDir, project.meta.target_directory);
  const targetDirs = targetDir === '' || targetDir.startsWith('..') ? ['target'] : ['target', targetDir];
  return {
    contextDir,
    input,
    config: project.config,
    allocator,
    hasDockerignore: await exists(join(contextDir, '.dockerignore')),
    dockerfile: renderDockerfile(input, { ...defaults, ...(base ? { base } : {}) }),
    dockerignore: renderDockerignore(targetDirs),
  };
}

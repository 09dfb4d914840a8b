// Writes the rendered Dockerfile and its .dockerignore side by side, all or nothing: both paths
// are checked before either is written, and an existing file with other content is only
// replaced with `force` (the user may have edited it).
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { writeFileAtomic } from '../fs.ts';

export interface WrittenDockerfile {
  readonly dockerfile: string;
  readonly dockerignore: string;
}

async function contentOf(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new BuildStaticError('OUTPUT_FAILED', `cannot read ${path}: ${error.message}`);
  });
}

// Writes FILE and FILE's directory/.dockerignore; refuses to replace different content unless forced.
export async function writeDockerfile(file: string, texts: { dockerfile: string; dockerignore: string }, force: boolean): Promise<WrittenDockerfile> {
  const dockerfile = resolve(file);
  const dockerignore = join(dirname(dockerfile), '.dockerignore');
  const plan: Array<[string, string]> = [[dockerfile, texts.dockerfile], [dockerignore, texts.dockerignore]];
  for (const [path, text] of plan) {
    const old = await contentOf(path);
    if (old !== undefined && old !== text && !force) {
      throw new BuildStaticError('USAGE', `${path} exists with other content: pass --force to replace it, or --out another path`);
    }
  }
  for (const [path, text] of plan) {
    await writeFileAtomic(path, text).catch((error: Error) => {
      throw new BuildStaticError('OUTPUT_FAILED', `cannot write ${path}: ${error.message}`);
    });
  }
  return { dockerfile, dockerignore };
}

// Writes the rendered Dockerfile and its .dockerignore side by side, all or nothing: both paths
// are checked before either is written, and an existing file with other content is only
// replaced with `force` (the user may have edited it).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { claimOutput } from '../output-guard.ts';

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
// The project's Cargo.toml and Cargo.lock (`protect`) are never replaced, nor is any directory.
export async function writeDockerfile(file: string, texts: { dockerfile: string; dockerignore: string }, force: boolean, protect: readonly string[] = []): Promise<WrittenDockerfile> {
  const same = (text: string) => async (path: string) => (await contentOf(path)) === text;
  const claim = { kind: 'file' as const, force, protect };
  const dockerfile = await claimOutput({ ...claim, path: file, flag: '--out', isOwn: same(texts.dockerfile), ownMarker: 'it has other content' });
  const dockerignore = await claimOutput({ ...claim, path: join(dirname(dockerfile), '.dockerignore'), flag: '--out\'s .dockerignore', isOwn: same(texts.dockerignore), ownMarker: 'it has other content' });
  const plan: Array<[string, string]> = [[dockerfile, texts.dockerfile], [dockerignore, texts.dockerignore]];
  for (const [path, text] of plan) {
    await writeFileAtomic(path, text).catch((error: Error) => {
      throw new BuildStaticError('OUTPUT_FAILED', `cannot write ${path}: ${error.message}`);
    });
  }
  return { dockerfile, dockerignore };
}

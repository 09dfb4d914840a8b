// Where an app image goes: an OCI layout directory, an OCI archive file, a registry (one
// multi-platform index), or the local podman image store. Every writer is atomic.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MEDIA_TYPE,
  rootBlobSource,
  rootBytes,
  serializeImage,
  writeLayout,
  writeOciArchive,
  type Digest,
  type Index,
} from '../../oci/index.ts';
import { fileKeychain, push, type PushEvent, type PushResult } from '../../oci/registry/index.ts';
import { BuildStaticError } from '../../errors.ts';
import { credentialHelperRunner } from '../exec/credential-helper.ts';
import { runStep } from '../exec/exec.ts';
import { which } from '../fs.ts';

export interface ImageOutputs {
  readonly ociLayout?: string;
  readonly tarball?: string;
  readonly push?: boolean;
  readonly load?: boolean;
  /** Full reference for push and load, e.g. `registry.example.com/team/app:1.2`. */
  readonly tag?: string;
  readonly insecureRegistries?: readonly string[];
}

// Writes the index to a layout directory, tagged.
export async function writeLayoutOutput(dir: string, index: Index, tag: string): Promise<void> {
  await writeLayout(dir, index, { tag });
}

// Each platform's manifest digest keyed `os/architecture`, as the image scripts print them.
export function platformDigests(index: Index): Record<string, Digest> {
  return Object.fromEntries(
    index.images.map((image) => {
      const s = serializeImage(image);
      return [`${s.platform.os}/${s.platform.architecture}`, s.digest];
    }),
  );
}

// Writes the index as one OCI archive file (what `podman load` and `skopeo copy oci-archive:` read).
export async function writeArchiveOutput(file: string, index: Index, tag: string, epoch: number): Promise<void> {
  await writeOciArchive(file, index, { tag, epoch });
}

// Pushes the whole index (platform manifests, then the index, then the tag) to the registry.
export async function pushOutput(
  index: Index,
  tag: string,
  options: { insecureRegistries?: readonly string[]; onEvent?: (e: PushEvent) => void; signal?: AbortSignal },
): Promise<PushResult> {
  const source = rootBlobSource(index);
  return push(
    { root: rootBytes(index), mediaType: MEDIA_TYPE.OCI_INDEX, getBlob: (digest, descriptor) => source.get(digest, descriptor) },
    tag,
    {
      keychain: fileKeychain({ runHelper: credentialHelperRunner() }),
      ...(options.insecureRegistries ? { insecureRegistries: [...options.insecureRegistries] } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
}

// Loads the image for this machine's platform into podman (podman picks the host's image out of
// a multi-platform archive). Docker's `docker load` needs a docker-archive, which we do not write.
export async function loadOutput(index: Index, tag: string, epoch: number): Promise<string> {
  const podman = await which('podman');
  if (!podman) {
    const docker = await which('docker');
    throw new BuildStaticError(
      'USAGE',
      docker
        ? '--load supports podman; for docker write --tarball FILE and run: skopeo copy oci-archive:FILE docker-daemon:REF'
        : '--load needs podman on PATH (install podman, or use --oci-layout / --tarball)',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'build-static-load-'));
  try {
    const file = join(dir, 'image.tar');
    await writeOciArchive(file, index, { tag, epoch });
    const { stdout } = await runStep({ argv: [podman, 'load', '-i', file] });
    return stdout.trim().split('\n').pop() ?? '';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

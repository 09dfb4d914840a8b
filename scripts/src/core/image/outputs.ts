// Where an app image goes: an OCI layout directory, an OCI archive file, a registry (one
// multi-platform index), or the local podman image store. Every writer is atomic.
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MEDIA_TYPE,
  rootBlobSource,
  rootBytes,
  serializeImage,
  writeLayout,
  writeOciArchive,
  type Artifact,
  type Digest,
  type Index,
} from '../../oci/index.ts';
import { fileKeychain, push, pushReferrer, type PushEvent, type PushResult, type ReferrerPushResult } from '../../oci/registry/index.ts';
import { BuildStaticError } from '../../errors.ts';
import { credentialHelperRunner } from '../exec/credential-helper.ts';
import { runStep } from '../exec/exec.ts';
import { which } from '../fs.ts';
import { claimOutput, readJsonQuietly } from '../output-guard.ts';

export interface ImageOutputs {
  readonly ociLayout?: string;
  readonly tarball?: string;
  readonly push?: boolean;
  readonly load?: boolean;
  /** Full reference for push and load, e.g. `registry.example.com/team/app:1.2`. */
  readonly tag?: string;
  readonly insecureRegistries?: readonly string[];
}

// True when `dir` is an OCI layout as build-static writes one: only oci-layout, index.json and
// blobs/, and an index naming one tagged root, the rest of its entries artifacts (the SBOM
// referrers image writes beside the root) — so --oci-layout may replace it.
export async function isOwnLayout(dir: string): Promise<boolean> {
  const names = await readdir(dir);
  if (!names.every((n) => n === 'oci-layout' || n === 'index.json' || n === 'blobs')) return false;
  const marker = (await readJsonQuietly(`${dir}/oci-layout`)) as { imageLayoutVersion?: string } | undefined;
  type Entry = { artifactType?: string; annotations?: Record<string, string> };
  const index = (await readJsonQuietly(`${dir}/index.json`)) as { manifests?: Entry[] } | undefined;
  const manifests = index?.manifests ?? [];
  const tagged = manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] !== undefined);
  const others = manifests.filter((m) => !tagged.includes(m));
  return marker?.imageLayoutVersion === '1.0.0' && tagged.length === 1 && others.every((m) => typeof m.artifactType === 'string');
}

// True when `file` is an OCI archive as build-static writes one: a tar whose first entry is
// blobs/ and whose last entry is oci-layout (so --tarball may replace it).
export async function isOwnArchive(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 4096 || size % 512 !== 0) return false;
    const name = async (at: number) => {
      const block = new Uint8Array(512);
      await handle.read(block, 0, 512, at);
      const magic = new TextDecoder().decode(block.subarray(257, 262));
      return magic === 'ustar' ? new TextDecoder().decode(block.subarray(0, 100)).replace(/\0.*$/s, '') : undefined;
    };
    return ['blobs', 'blobs/'].includes((await name(0)) ?? '') && (await name(size - 2048)) === 'oci-layout';
  } finally {
    await handle.close();
  }
}

// Checks --oci-layout and --tarball before anything is built; returns their absolute paths.
export async function claimImageOutputs(
  outputs: { ociLayout?: string; tarball?: string },
  options: { force?: boolean; protect: readonly string[] },
): Promise<{ ociLayout?: string; tarball?: string }> {
  const common = { force: options.force === true, protect: options.protect };
  const ociLayout =
    outputs.ociLayout === undefined
      ? undefined
      : await claimOutput({
          ...common,
          path: outputs.ociLayout,
          flag: '--oci-layout',
          kind: 'dir',
          isOwn: isOwnLayout,
          ownMarker: 'not an OCI layout of one tagged image',
        });
  const tarball =
    outputs.tarball === undefined
      ? undefined
      : await claimOutput({
          ...common,
          path: outputs.tarball,
          flag: '--tarball',
          kind: 'file',
          isOwn: isOwnArchive,
          ownMarker: 'not an OCI archive',
        });
  return { ...(ociLayout ? { ociLayout } : {}), ...(tarball ? { tarball } : {}) };
}

// Writes the index to a layout directory, tagged, with its referrers (SBOMs) beside it.
export async function writeLayoutOutput(dir: string, index: Index, tag: string, referrers: readonly Artifact[] = []): Promise<void> {
  await writeLayout(dir, index, { tag, referrers });
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
export async function writeArchiveOutput(
  file: string,
  index: Index,
  tag: string,
  epoch: number,
  referrers: readonly Artifact[] = [],
): Promise<void> {
  await writeOciArchive(file, index, { tag, epoch, referrers });
}

// Attaches artifacts to the pushed images (referrers API, or the sha256-<hex> tag schema).
export async function pushReferrersOutput(
  artifacts: readonly Artifact[],
  tag: string,
  options: { insecureRegistries?: readonly string[]; signal?: AbortSignal },
): Promise<ReferrerPushResult[]> {
  const results: ReferrerPushResult[] = [];
  for (const a of artifacts) {
    results.push(
      await pushReferrer(a, tag, {
        keychain: fileKeychain({ runHelper: credentialHelperRunner() }),
        ...(options.insecureRegistries ? { insecureRegistries: [...options.insecureRegistries] } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  }
  return results;
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

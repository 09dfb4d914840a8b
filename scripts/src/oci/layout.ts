// OCI image layout directories (image-spec image-layout.md): `oci-layout`, `index.json` naming
// the root with an `org.opencontainers.image.ref.name` tag, and `blobs/sha256/<hex>`. Written to
// a temporary sibling and renamed into place, so a failure never leaves a partial directory; every
// file's bytes depend only on the image (modes are set explicitly, whatever the umask).
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';
import { fetchVerified, layoutBlobSource, parseJsonBlob, type BlobSource } from './blob-source.ts';
import { digestHex, jsonBytes } from './digest.ts';
import { OciError, invalid, ioError, isOciError } from './errors.ts';
import type { Artifact } from './artifact.ts';
import { rootBlobs, rootDescriptor, type PendingBlob, type Root } from './image-index.ts';
import { loadRoot } from './load.ts';
import { MEDIA_TYPE, type Descriptor, type ImageIndex } from './types.ts';

export const REF_NAME = 'org.opencontainers.image.ref.name';
export const OCI_LAYOUT_BYTES = jsonBytes({ imageLayoutVersion: '1.0.0' });

export interface LayoutOptions {
  /** Written as the root's `org.opencontainers.image.ref.name` (e.g. "latest" or "v1.2.3"). */
  readonly tag?: string;
  /** Artifacts about the root's images (SBOMs): stored as blobs, listed in index.json after the root. */
  readonly referrers?: readonly Artifact[];
}

export interface OpenLayout {
  readonly dir: string;
  readonly index: ImageIndex;
  readonly source: BlobSource;
}

// The bytes of index.json for a root: one descriptor, annotated with the tag when there is one.
export function layoutIndexBytes(root: Root, options: LayoutOptions = {}): Uint8Array {
  const descriptor: Descriptor = { ...rootDescriptor(root), ...(options.tag ? { annotations: { [REF_NAME]: options.tag } } : {}) };
  return jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPE.OCI_INDEX, manifests: [descriptor, ...(options.referrers ?? []).map((a) => a.descriptor)] });
}

// Every blob a layout holds: the root's and its referrers', once each, sorted by digest.
export function layoutBlobs(root: Root, options: LayoutOptions = {}): PendingBlob[] {
  const blobs = new Map(rootBlobs(root).map((b) => [b.descriptor.digest as string, b]));
  for (const a of options.referrers ?? []) for (const b of a.blobs) if (!blobs.has(b.descriptor.digest)) blobs.set(b.descriptor.digest, b);
  return [...blobs.values()].sort((a, b) => (a.descriptor.digest < b.descriptor.digest ? -1 : 1));
}

// The bytes of one pending blob: ours are in memory; a base's are fetched and verified.
export async function pendingBytes(blob: PendingBlob): Promise<Uint8Array> {
  if (blob.bytes) return blob.bytes;
  if (!blob.source) throw invalid(`blob ${blob.descriptor.digest} has neither bytes nor a source`);
  return fetchVerified(blob.source, blob.descriptor);
}

// Writes the root as a complete layout at `dir`, replacing what was there only on success.
export async function writeLayout(dir: string, root: Root, options: LayoutOptions = {}): Promise<void> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const old = `${tmp}-old`;
  let movedOld = false;
  try {
    await mkdir(join(tmp, 'blobs', 'sha256'), { recursive: true });
    for (const blob of layoutBlobs(root, options)) await put(join(tmp, 'blobs', 'sha256', digestHex(blob.descriptor.digest)), await pendingBytes(blob));
    await put(join(tmp, 'oci-layout'), OCI_LAYOUT_BYTES);
    await put(join(tmp, 'index.json'), layoutIndexBytes(root, options));
    for (const d of [tmp, join(tmp, 'blobs'), join(tmp, 'blobs', 'sha256')]) await chmod(d, 0o755);
    if (await exists(dir)) {
      await rename(dir, old);
      movedOld = true;
    }
    await rename(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (movedOld && !(await exists(dir))) await rename(old, dir).catch(() => undefined);
    throw isOciError(error) ? error : ioError(`write the OCI layout ${dir}`, error);
  } finally {
    await rm(old, { recursive: true, force: true }).catch(() => undefined);
  }
}

// Opens a layout: checks `oci-layout`, parses `index.json`; blobs are read on demand.
export async function openLayout(dir: string): Promise<OpenLayout> {
  const read = async (name: string) => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') throw new OciError('OCI_INVALID', `${dir} is not an OCI layout (no ${name})`, { cause: error });
      throw ioError(`read ${join(dir, name)}`, error);
    }
  };
  const marker = parseJsonBlob<{ imageLayoutVersion?: string }>(await read('oci-layout'), `${dir}/oci-layout`);
  if (marker.imageLayoutVersion !== '1.0.0') throw invalid(`${dir}/oci-layout has imageLayoutVersion ${String(marker.imageLayoutVersion)}, expected 1.0.0`);
  const index = parseJsonBlob<ImageIndex>(await read('index.json'), `${dir}/index.json`);
  if (!Array.isArray(index.manifests)) throw invalid(`${dir}/index.json has no manifests list`);
  return { dir, index, source: layoutBlobSource(dir) };
}

// The root descriptor for a tag (or the only one when no tag is given).
export function findRootDescriptor(layout: Pick<OpenLayout, 'dir' | 'index'>, tag?: string): Descriptor {
  // Referrers (artifacts with a subject) sit beside the root in index.json; they are not roots.
  const roots = layout.index.manifests.filter((d) => d.artifactType === undefined || d.annotations?.[REF_NAME] !== undefined);
  const found = tag === undefined ? (roots.length === 1 ? roots[0] : undefined) : roots.find((d) => d.annotations?.[REF_NAME] === tag);
  if (found) return found;
  const tags = roots.map((d) => d.annotations?.[REF_NAME] ?? d.digest).join(', ');
  throw invalid(tag === undefined ? `${layout.dir} holds ${roots.length} images (${tags}); name one by tag` : `${layout.dir} has no image tagged "${tag}" (it has: ${tags || 'none'})`);
}

// Reads a layout back into an image value (an index or a single image).
export async function readLayout(dir: string, tag?: string): Promise<Root> {
  const layout = await openLayout(dir);
  return loadRoot(layout.source, findRootDescriptor(layout, tag));
}

async function put(path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, bytes);
  await chmod(path, 0o644);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

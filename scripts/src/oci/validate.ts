// Validates an image the way ggcr's validate does, but collects every problem instead of stopping
// at the first: each blob (index, manifests, configs, layers) is re-read, size-checked and
// re-hashed; media types are checked; diff_ids are recomputed from the decompressed layers; config
// os/architecture must match the index platform; an index may not list a platform twice. The core
// takes a BlobSource, so the registry client validates pulled images with the same code.
import { type BlobSource } from './blob-source.ts';
import { isDigest, sha256Digest } from './digest.ts';
import { OciError } from './errors.ts';
import { platformKey } from './image.ts';
import { findRootDescriptor, openLayout } from './layout.ts';
import { LAYER_MEDIA_TYPES, layerProblems } from './validate-layer.ts';
import { MEDIA_TYPE, isIndexMediaType, isManifestMediaType, type Descriptor, type ImageConfig, type ImageIndex, type Manifest } from './types.ts';

interface Walk {
  readonly source: BlobSource;
  readonly problems: string[];
  /** Layer digest → already checked (layers shared between platforms are checked once). */
  readonly layersSeen: Set<string>;
}

const short = (digest: string) => digest.slice(0, 19);

// Reads a blob and checks its digest form, size (first) and hash; returns the bytes even when
// they are wrong, so the walk can go on and report what else is broken.
async function blob(walk: Walk, d: Descriptor, where: string): Promise<Uint8Array | undefined> {
  if (typeof d.digest !== 'string' || !isDigest(d.digest)) return void walk.problems.push(`${where}: "${String(d.digest)}" is not a lowercase sha256 digest`);
  let bytes: Uint8Array;
  try {
    bytes = await walk.source.get(d.digest, d);
  } catch (error) {
    return void walk.problems.push(`${where} ${short(d.digest)} cannot be read: ${(error as Error).message}`);
  }
  if (bytes.byteLength !== d.size) walk.problems.push(`${where} ${short(d.digest)} is ${bytes.byteLength} bytes, its descriptor says ${d.size}`);
  const actual = sha256Digest(bytes);
  if (actual !== d.digest) walk.problems.push(`${where} ${short(d.digest)} has sha256 ${actual} (content does not match its digest)`);
  return bytes;
}

function json<T>(walk: Walk, bytes: Uint8Array, where: string): T | undefined {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as T;
  } catch (error) {
    return void walk.problems.push(`${where} is not valid JSON (${(error as Error).message})`);
  }
}

async function checkManifest(walk: Walk, d: Descriptor, where: string): Promise<void> {
  const bytes = await blob(walk, d, `${where} manifest`);
  const manifest = bytes && json<Manifest>(walk, bytes, `${where} manifest`);
  if (!manifest) return;
  const p = walk.problems;
  if (d.platform?.os === 'unknown' || d.platform?.architecture === 'unknown') {
    // An attestation (buildx/BuildKit provenance, SBOM): not an image; only its blobs' integrity matters.
    for (const [i, child] of [manifest.config, ...(manifest.layers ?? [])].entries()) if (child) await blob(walk, child, `${where} blob ${i + 1}`);
    return;
  }
  if (manifest.schemaVersion !== 2) p.push(`${where} manifest has schemaVersion ${String(manifest.schemaVersion)}, expected 2`);
  if (manifest.mediaType !== undefined && manifest.mediaType !== d.mediaType) p.push(`${where} manifest says mediaType ${manifest.mediaType}, its descriptor says ${d.mediaType}`);
  if (!manifest.config || !Array.isArray(manifest.layers)) return void p.push(`${where} manifest has no config or no layers list`);
  if (manifest.config.mediaType !== MEDIA_TYPE.OCI_CONFIG && manifest.config.mediaType !== MEDIA_TYPE.DOCKER_CONFIG) p.push(`${where} config has media type ${manifest.config.mediaType}, expected ${MEDIA_TYPE.OCI_CONFIG}`);
  const configBytes = await blob(walk, manifest.config, `${where} config`);
  const config = configBytes && json<ImageConfig>(walk, configBytes, `${where} config`);
  const diffIds = config?.rootfs?.diff_ids;
  if (config) {
    if (config.rootfs?.type !== 'layers' || !Array.isArray(diffIds)) p.push(`${where} config has no rootfs of type "layers" with diff_ids`);
    else if (diffIds.length !== manifest.layers.length) p.push(`${where} config lists ${diffIds.length} diff_ids for ${manifest.layers.length} layers`);
    const platform = d.platform;
    if (platform && (config.os !== platform.os || config.architecture !== platform.architecture)) p.push(`${where} config is for ${config.os}/${config.architecture}, the index says ${platform.os}/${platform.architecture}`);
    if (platform?.variant && config.variant && platform.variant !== config.variant) p.push(`${where} config has variant ${config.variant}, the index says ${platform.variant}`);
    const built = (config.history ?? []).filter((h) => !h.empty_layer).length;
    if ((config.history ?? []).length > 0 && built !== manifest.layers.length) p.push(`${where} config history has ${built} non-empty entries for ${manifest.layers.length} layers`);
  }
  for (const [i, layer] of manifest.layers.entries()) {
    const at = `${where} layer ${i + 1}/${manifest.layers.length}`;
    if (!LAYER_MEDIA_TYPES.includes(layer.mediaType)) p.push(`${at} has unknown media type ${layer.mediaType}`);
    const seen = walk.layersSeen.has(`${layer.digest}@${diffIds?.[i]}`);
    walk.layersSeen.add(`${layer.digest}@${diffIds?.[i]}`);
    if (seen) continue;
    const bytes = await blob(walk, layer, at);
    if (bytes && LAYER_MEDIA_TYPES.includes(layer.mediaType)) p.push(...(await layerProblems(`${at} ${short(layer.digest)}`, layer.mediaType, bytes, diffIds?.[i])));
  }
}

async function checkIndex(walk: Walk, d: Descriptor, where: string): Promise<void> {
  const bytes = await blob(walk, d, where);
  const index = bytes && json<ImageIndex>(walk, bytes, where);
  if (!index) return;
  if (index.schemaVersion !== 2) walk.problems.push(`${where} has schemaVersion ${String(index.schemaVersion)}, expected 2`);
  if (index.mediaType !== undefined && index.mediaType !== d.mediaType) walk.problems.push(`${where} says mediaType ${index.mediaType}, its descriptor says ${d.mediaType}`);
  if (!Array.isArray(index.manifests)) return void walk.problems.push(`${where} has no manifests list`);
  const platforms = new Map<string, number>();
  const keys = index.manifests.map((child, i) => (child.platform ? platformKey(child.platform) : `manifest ${i + 1}`));
  for (const [i, child] of index.manifests.entries()) {
    const unknown = child.platform?.os === 'unknown' || child.platform?.architecture === 'unknown';
    if (child.platform && !unknown) platforms.set(keys[i]!, (platforms.get(keys[i]!) ?? 0) + 1);
    if (isManifestMediaType(child.mediaType) && !child.platform) walk.problems.push(`${where} lists manifest ${i + 1} (${short(child.digest)}) without a platform`);
  }
  for (const [key, count] of platforms) if (count > 1) walk.problems.push(`${where} lists platform ${key} ${count} times`);
  for (const [i, child] of index.manifests.entries()) {
    const unknown = child.platform?.os === 'unknown' || child.platform?.architecture === 'unknown';
    const label = unknown ? `${keys[i]} (attestation)` : (platforms.get(keys[i]!) ?? 0) > 1 ? `${keys[i]} (manifest ${i + 1})` : keys[i]!;
    await checkDescriptor(walk, child, label);
  }
}

async function checkDescriptor(walk: Walk, d: Descriptor, where: string): Promise<void> {
  if (isIndexMediaType(d.mediaType)) return checkIndex(walk, d, `${where} index`);
  if (isManifestMediaType(d.mediaType)) return checkManifest(walk, d, where);
  walk.problems.push(`${where} ${short(String(d.digest))} has media type ${d.mediaType}, neither an index nor an image manifest`);
}

// Every problem of the image a descriptor names (an index or a manifest); [] when it is sound.
export async function findProblems(source: BlobSource, root: Descriptor): Promise<string[]> {
  const walk: Walk = { source, problems: [], layersSeen: new Set() };
  await checkDescriptor(walk, root, root.platform ? platformKey(root.platform) : 'image');
  return walk.problems;
}

// Throws one OCI_INVALID error listing every problem (`problems`, and `detail` one per line).
export async function validate(source: BlobSource, root: Descriptor, what = `image ${short(root.digest)}`): Promise<void> {
  throwIfProblems(what, await findProblems(source, root));
}

// Validates a layout directory: its marker files and the image of every (or one) tag.
export async function validateLayout(dir: string, tag?: string): Promise<void> {
  const problems: string[] = [];
  try {
    const layout = await openLayout(dir);
    if (layout.index.schemaVersion !== 2) problems.push(`index.json has schemaVersion ${String(layout.index.schemaVersion)}, expected 2`);
    const roots = tag === undefined ? layout.index.manifests : [findRootDescriptor(layout, tag)];
    if (roots.length === 0) problems.push('index.json lists no images');
    for (const root of roots) problems.push(...(await findProblems(layout.source, root)));
  } catch (error) {
    problems.push((error as Error).message);
  }
  throwIfProblems(`OCI layout ${dir}`, problems);
}

function throwIfProblems(what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new OciError('OCI_INVALID', `${what} is not a valid OCI image: ${problems[0]}${more}`, { problems });
}

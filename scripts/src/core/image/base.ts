// The base image for each platform: `scratch`, a local OCI layout (`oci-layout:DIR[:TAG]`), or a
// registry reference resolved to a digest (recorded in the image's annotations). Attestation
// entries in a base index are ignored; a base without one of the platforms is a clear error.
import { emptyImage, loadRoot, readLayout, rootImages, selectPlatform, type BlobSource, type Image, type Root } from '../../oci/index.ts';
import { layerEntries } from '../../oci/layer.ts';
import { registryBlobSource, resolve, type RegistryClientOptions } from '../../oci/registry/index.ts';
import { BuildStaticError } from '../../errors.ts';
import type { Platform } from '../platform.ts';

export { DEFAULT_BASE } from './default-base.ts';

export interface BaseImages {
  /** What the user asked for, e.g. `cgr.dev/chainguard/static:latest`. */
  readonly name: string;
  /** The digest the base resolved to (registry and layout bases). */
  readonly digest?: string;
  readonly images: ReadonlyMap<string, Image>;
}

function pick(root: Root, platforms: readonly Platform[], name: string): Map<string, Image> {
  const images = rootImages(root);
  const out = new Map<string, Image>();
  for (const p of platforms) {
    try {
      out.set(p.id, selectPlatform(images, { os: p.os, architecture: p.arch }));
    } catch (error) {
      throw new BuildStaticError('USAGE', `the base image ${name} has no ${p.id} image: ${(error as Error).message}; pick another --base or drop the platform`, { cause: error });
    }
  }
  return out;
}

// Loads the base named by `spec` for every platform.
export async function loadBase(spec: string, platforms: readonly Platform[], registry: RegistryClientOptions): Promise<BaseImages> {
  if (spec === 'scratch') {
    return { name: 'scratch', images: new Map(platforms.map((p) => [p.id, emptyImage({ os: p.os, architecture: p.arch })])) };
  }
  const layout = /^oci(?:-layout)?:(.+?)(?::([\w][\w.-]*))?$/.exec(spec);
  if (layout) {
    const [, dir, tag] = layout;
    const root = await readLayout(dir!, tag);
    return { name: spec, images: pick(root, platforms, spec) };
  }
  const resolved = await resolve(spec, registry);
  const source = memoized(registryBlobSource(resolved.reference, registry));
  const root = await loadRoot(source, { mediaType: resolved.mediaType, digest: resolved.digest, size: resolved.size });
  return { name: spec, digest: resolved.digest, images: pick(root, platforms, spec) };
}

// Keeps each fetched base blob, so looking for the CA bundle and writing or pushing the image
// download a layer once (bases such as chainguard/static are a few MiB).
function memoized(source: BlobSource): BlobSource {
  const seen = new Map<string, Promise<Uint8Array>>();
  return {
    get: (digest, descriptor) => {
      let blob = seen.get(digest);
      if (!blob) {
        blob = source.get(digest, descriptor);
        seen.set(digest, blob);
      }
      return blob;
    },
  };
}

// Whether the base carries a CA bundle (then SSL_CERT_FILE is set for the app).
export async function hasFile(image: Image, path: string): Promise<boolean> {
  const wanted = path.replace(/^\/+/, '');
  for (const layer of image.layers) {
    const bytes = layer.bytes ?? (await image.source.get(layer.descriptor.digest, layer.descriptor));
    if ((await layerEntries(bytes)).some((e) => e.path === wanted && e.type !== 'dir')) return true;
  }
  return false;
}

// Assembles the app image for each platform like ko does: the base, plus ONE layer holding the
// binary at a fixed path (mode 0555, owner 65532:65532), then Entrypoint, User 65532, WorkingDir,
// Env (SSL_CERT_FILE when the base has CA certificates), labels and annotations — every time
// field from SOURCE_DATE_EPOCH, so the same inputs give the same digests.
import { annotate, appendLayers, configure, imageIndex, layerFromEntries, setCreated, type Image, type Index } from '../../oci/index.ts';
import type { Platform } from '../platform.ts';
import { hasFile, type BaseImages } from './base.ts';

export const NONROOT = 65532;
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

// Where the binary lives in the image.
export function binaryPath(bin: string): string {
  return `/usr/local/bin/${bin}`;
}

export interface AppBinary {
  readonly platform: Platform;
  readonly bin: string;
  readonly bytes: Uint8Array;
}

// Builds one platform's image on its base.
export async function appImage(base: Image, app: AppBinary, options: { epoch: number; labels: Readonly<Record<string, string>> }): Promise<Image> {
  const path = binaryPath(app.bin).slice(1);
  const layer = await layerFromEntries(
    [
      { type: 'dir', path: 'usr', mode: 0o755, uid: 0, gid: 0 },
      { type: 'dir', path: 'usr/local', mode: 0o755, uid: 0, gid: 0 },
      { type: 'dir', path: 'usr/local/bin', mode: 0o755, uid: 0, gid: 0 },
      { type: 'file', path, data: app.bytes, mode: 0o555, uid: NONROOT, gid: NONROOT },
    ],
    { epoch: options.epoch },
  );
  const env: Record<string, string> = {};
  if (!base.config.config?.Env?.some((e) => e.startsWith('PATH='))) env.PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  if (await hasFile(base, CA_BUNDLE)) env.SSL_CERT_FILE = CA_BUNDLE;
  let image = appendLayers(base, [layer], { createdBy: `build-static: COPY ${app.bin} ${binaryPath(app.bin)}`, epoch: options.epoch });
  image = configure(image, { entrypoint: [binaryPath(app.bin)], user: String(NONROOT), workingDir: '/', env, labels: options.labels });
  image = setCreated(image, options.epoch);
  return annotate(image, options.labels, { replace: true });
}

// The multi-platform index over every platform's app image.
export async function appIndex(base: BaseImages, apps: readonly AppBinary[], options: { epoch: number; labels: Readonly<Record<string, string>> }): Promise<Index> {
  const images: Image[] = [];
  for (const app of apps) {
    const b = base.images.get(app.platform.id);
    if (!b) throw new Error(`unreachable: no base for ${app.platform.id}`);
    images.push(await appImage(b, app, options));
  }
  return imageIndex(images, options.labels);
}

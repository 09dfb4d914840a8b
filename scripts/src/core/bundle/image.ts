// --image: the written bundle as one layer on scratch, with the first executable as Entrypoint,
// sent to the usual image outputs (OCI layout, archive, push, podman load).
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { BuildStaticError } from '../../errors.ts';
import { EM, type Elf } from '../../elf/index.ts';
import { appendLayers, configure, emptyImage, imageIndex, layerFromEntries, serializeImage, setCreated, type OciPlatform, type TarEntry } from '../../oci/index.ts';
import { loadOutput, pushOutput, writeArchiveOutput, writeLayoutOutput, type ImageOutputs } from '../image/outputs.ts';
import { BUNDLE_PATH } from './run-test.ts';
import type { BundleTree } from './tree.ts';

export interface BundleImageResult {
  readonly tag: string;
  readonly digest: string;
  readonly ociLayout?: string;
  readonly tarball?: string;
  readonly pushed?: string;
  readonly loaded?: string;
}

// The OCI platform for an executable's machine.
export function platformOf(elf: Elf): OciPlatform {
  if (elf.machine === EM.X86_64) return { os: 'linux', architecture: 'amd64' };
  if (elf.machine === EM.AARCH64) return { os: 'linux', architecture: 'arm64', variant: 'v8' };
  if (elf.machine === EM.ARM) return { os: 'linux', architecture: 'arm', variant: 'v7' };
  if (elf.machine === EM.I386) return { os: 'linux', architecture: '386' };
  throw new BuildStaticError('BUNDLE_INVALID', `--image does not support ${elf.machineName} executables`);
}

// Builds the image from the files as written in `root` (after upx) and writes the outputs.
export async function bundleImage(
  root: string, tree: BundleTree, elf: Elf,
  options: ImageOutputs & { tag: string; entrypoint: string; env: Record<string, string>; epoch: number },
): Promise<BundleImageResult> {
  if (!options.ociLayout && !options.tarball && !options.push && !options.load) throw new BuildStaticError('USAGE', '--image needs an output: --oci-layout DIR, --tarball FILE, --push or --load');
  const entries: TarEntry[] = [];
  for (const [path, node] of tree.sorted()) {
    if (node.type === 'dir') entries.push({ type: 'dir', path, mode: node.mode });
    else if (node.type === 'symlink') entries.push({ type: 'symlink', path, target: node.target });
    else entries.push({ type: 'file', path, mode: node.mode, data: new Uint8Array(await readFile(posix.join(root, path))) });
  }
  const layer = await layerFromEntries(entries, { epoch: options.epoch });
  let image = appendLayers(emptyImage(platformOf(elf)), [layer], { createdBy: `build-static bundle ${options.entrypoint}`, epoch: options.epoch });
  image = setCreated(configure(image, { entrypoint: [options.entrypoint], env: { PATH: BUNDLE_PATH, ...options.env } }), options.epoch);
  const index = imageIndex([image]);
  const result: { -readonly [K in keyof BundleImageResult]: BundleImageResult[K] } = { tag: options.tag, digest: serializeImage(image).digest };
  if (options.ociLayout) await writeLayoutOutput(options.ociLayout, index, options.tag).then(() => (result.ociLayout = options.ociLayout));
  if (options.tarball) await writeArchiveOutput(options.tarball, index, options.tag, options.epoch).then(() => (result.tarball = options.tarball));
  if (options.push) result.pushed = (await pushOutput(index, options.tag, { ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}) })).digest;
  if (options.load) result.loaded = await loadOutput(index, options.tag, options.epoch);
  return result;
}

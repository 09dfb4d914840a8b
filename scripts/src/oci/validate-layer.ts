// Checks one layer blob against its diff_id: decompress according to the media type, hash the
// tar, and read every header (a layer must be a readable tar without repeated paths).
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { sha256Digest } from './digest.ts';
import { gunzip, isGzip } from './gzip.ts';
import { readTar } from './tar-read.ts';
import { MEDIA_TYPE, type Digest } from './types.ts';

const ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const NONDISTRIBUTABLE = 'application/vnd.oci.image.layer.nondistributable.v1.tar';

/** Layer media types the validator knows how to open. */
export const LAYER_MEDIA_TYPES: readonly string[] = [
  MEDIA_TYPE.OCI_LAYER_GZIP, MEDIA_TYPE.OCI_LAYER, MEDIA_TYPE.DOCKER_LAYER_GZIP, ZSTD,
  NONDISTRIBUTABLE, `${NONDISTRIBUTABLE}+gzip`, `${NONDISTRIBUTABLE}+zstd`,
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
];

// zstd is in node:zlib only from Node 22.15 / 23.8; older runtimes cannot check such layers.
async function unzstd(bytes: Uint8Array): Promise<Uint8Array | string> {
  const decompress = (zlib as unknown as { zstdDecompress?: (b: Uint8Array, cb: (e: Error | null, r: Buffer) => void) => void }).zstdDecompress;
  if (!decompress) return 'is zstd-compressed and this runtime has no zstd decompressor, so its diff_id cannot be checked';
  try {
    return new Uint8Array(await promisify(decompress)(bytes));
  } catch (error) {
    return `is not valid zstd (${(error as Error).message})`;
  }
}

// The problems of one layer (empty when it is sound): `where` prefixes every message.
export async function layerProblems(where: string, mediaType: string, bytes: Uint8Array, diffId: Digest | undefined): Promise<string[]> {
  const problems: string[] = [];
  let tar: Uint8Array;
  if (mediaType.endsWith('+zstd')) {
    const result = await unzstd(bytes);
    if (typeof result === 'string') return [`${where} ${result}`];
    tar = result;
  } else if (mediaType.endsWith('gzip')) {
    if (!isGzip(bytes)) return [`${where} has media type ${mediaType} but is not gzip data`];
    try {
      tar = await gunzip(bytes);
    } catch (error) {
      return [`${where} cannot be decompressed: ${(error as Error).message}`];
    }
  } else {
    if (isGzip(bytes)) problems.push(`${where} has media type ${mediaType} (uncompressed) but is gzip data`);
    tar = bytes;
  }
  const actual = sha256Digest(tar);
  if (diffId !== undefined && actual !== diffId) problems.push(`${where} uncompressed has sha256 ${actual}, but the config's diff_id is ${diffId}`);
  try {
    const seen = new Set<string>();
    for (const entry of readTar(tar)) {
      if (seen.has(entry.path)) problems.push(`${where} repeats the path "${entry.path}" (a layer must not contain duplicate entries)`);
      seen.add(entry.path);
    }
  } catch (error) {
    problems.push(`${where} is not a readable tar: ${(error as Error).message}`);
  }
  return problems;
}

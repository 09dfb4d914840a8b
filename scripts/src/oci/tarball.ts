// A single-file OCI archive: an OCI layout in a tar (skopeo's `oci-archive:`, `podman load -i`).
// Streamed to disk one blob at a time (base blobs are fetched as they are written), sorted, with
// the same fixed metadata as layers; written to a temporary file and renamed into place.
import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';
import { memoryBlobSource } from './blob-source.ts';
import { digestHex } from './digest.ts';
import { invalid, ioError, isOciError } from './errors.ts';
import type { Root } from './image-index.ts';
import { OCI_LAYOUT_BYTES, layoutBlobs, layoutIndexBytes, pendingBytes, type LayoutOptions, type OpenLayout } from './layout.ts';
import { BLOCK, paddingSize } from './tar-header.ts';
import { readTar } from './tar-read.ts';
import { entryHeader, type HeaderEntry } from './tar.ts';
import type { ImageIndex } from './types.ts';

export interface ArchiveOptions extends LayoutOptions {
  /** mtime of the archive's entries (SOURCE_DATE_EPOCH or 0). */
  readonly epoch?: number;
}

const dir = (path: string): HeaderEntry => ({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0 });
const file = (path: string, size: number): HeaderEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size });

// Writes `root` as an oci-archive tar at `path` (replaced only when complete).
export async function writeOciArchive(path: string, root: Root, options: ArchiveOptions = {}): Promise<void> {
  const epoch = options.epoch ?? 0;
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const handle = await open(tmp, 'w', 0o644);
    try {
      let offset = 0;
      const write = async (bytes: Uint8Array) => {
        await handle.write(bytes, 0, bytes.byteLength, offset);
        offset += bytes.byteLength;
      };
      const writeFileEntry = async (name: string, bytes: Uint8Array) => {
        await write(entryHeader(file(name, bytes.byteLength), epoch));
        await write(bytes);
        await write(new Uint8Array(paddingSize(bytes.byteLength)));
      };
      // Sorted by path: "blobs/" < "blobs/sha256/" < "blobs/sha256/<hex>" < "index.json" < "oci-layout".
      await write(entryHeader(dir('blobs'), epoch));
      await write(entryHeader(dir('blobs/sha256'), epoch));
      for (const blob of layoutBlobs(root, options)) await writeFileEntry(`blobs/sha256/${digestHex(blob.descriptor.digest)}`, await pendingBytes(blob));
      await writeFileEntry('index.json', layoutIndexBytes(root, options));
      await writeFileEntry('oci-layout', OCI_LAYOUT_BYTES);
      await write(new Uint8Array(2 * BLOCK));
    } finally {
      await handle.close();
    }
    await chmod(tmp, 0o644); // not the umask's choice
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw isOciError(error) ? error : ioError(`write the OCI archive ${path}`, error);
  }
}

// Reads an oci-archive fully into memory and opens it like a layout (for tests and small images).
export async function readOciArchive(path: string): Promise<OpenLayout> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw ioError(`read ${path}`, error);
  }
  const files = new Map(readTar(bytes).filter((e) => e.type === 'file').map((e) => [e.path, e.data]));
  const indexBytes = files.get('index.json');
  if (!files.has('oci-layout') || !indexBytes) throw invalid(`${path} is not an OCI archive (no oci-layout or index.json)`);
  const index = JSON.parse(new TextDecoder().decode(indexBytes)) as ImageIndex;
  const blobs = new Map([...files].filter(([name]) => name.startsWith('blobs/sha256/')).map(([name, data]) => [`sha256:${name.slice(13)}`, data]));
  return { dir: path, index, source: memoryBlobSource(blobs) };
}

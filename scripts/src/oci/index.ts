// Public surface of the daemonless OCI image model: tar/gzip/layers, immutable images and
// indexes, OCI layouts and archives, loading and validation. Pure TypeScript over node:fs,
// node:zlib and node:crypto; no subprocesses, nothing Rust-specific.
export { OciError, isOciError, type OciErrorCode } from './errors.ts';
export * from './types.ts';
export { sha256Digest, isDigest, digestHex, jsonBytes } from './digest.ts';
export { writeTar, planEntries, normalizePath, entryHeader, type TarEntry, type TarFile, type TarDir, type TarSymlink, type TarOptions, type HeaderEntry } from './tar.ts';
export { readTar, type TarReadEntry } from './tar-read.ts';
export { gzip, gunzip, isGzip, GZIP_OPTIONS, GZIP_HEADER } from './gzip.ts';
export { layerDescriptor, layerEntries, layerFromBlob, layerFromEntries, layerFromTar, type Layer } from './layer.ts';
export { EMPTY_SOURCE, fetchVerified, layoutBlobSource, memoryBlobSource, type BlobSource } from './blob-source.ts';
export { configBytes, emptyImage, epochToCreated, imagePlatform, platformKey, serializeImage, type Image, type ImageLayer, type SerializedImage } from './image.ts';
export { annotate, appendLayers, configure, mergeEnv, setCreated, type ConfigChanges, type LayerHistory } from './mutate.ts';
export { imageIndex, isIndex, rootBlobSource, rootBlobs, rootBytes, rootDescriptor, serializeIndex, type Index, type PendingBlob, type Root, type SerializedIndex } from './image-index.ts';
export { loadImage, loadIndex, loadRoot, rootImages, selectPlatform } from './load.ts';
export { REF_NAME, findRootDescriptor, layoutBlobs, layoutIndexBytes, openLayout, readLayout, writeLayout, type LayoutOptions, type OpenLayout } from './layout.ts';
export { EMPTY_DESCRIPTOR, EMPTY_JSON, EMPTY_JSON_MEDIA_TYPE, artifact, referrersIndexBytes, referrersTag, type Artifact, type ArtifactInput } from './artifact.ts';
export { readOciArchive, writeOciArchive, type ArchiveOptions } from './tarball.ts';
export { findProblems, validate, validateLayout } from './validate.ts';
export {
  STATIC_BASE_ENV,
  STATIC_BASE_PLATFORMS,
  assembleStaticBase,
  type StaticBaseFiles,
  type StaticBaseOptions,
} from './static-base/index.ts';

// `build-static image`: build (or reuse) the static binaries, put each on the base image for its
// platform as one layer, and write the multi-platform index where asked — all without a daemon.
// Inputs are checked before anything is built: a bad tag or an unreachable base fails fast.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { parseReference, type PushEvent, type PushResult } from '../../oci/registry/index.ts';
import { serializeIndex } from '../../oci/index.ts';
import { BuildStaticError } from '../../errors.ts';
import { build, type BuildOptions, type BuildResult } from '../build/build.ts';
import { appIndex, type AppBinary } from './app-image.ts';
import { DEFAULT_BASE, loadBase } from './base.ts';
import { gitRevision, imageAnnotations, sourceDateEpoch } from './labels.ts';
import { claimImageOutputs, loadOutput, pushOutput, pushReferrersOutput, writeArchiveOutput, writeLayoutOutput, type ImageOutputs } from './outputs.ts';
import { sbomArtifacts, type ImageSbom } from './sbom.ts';

export interface ImageOptions extends BuildOptions, ImageOutputs {
  readonly base?: string;
  /** Attach each platform's SBOM to its image (default true; --no-sbom turns it off). */
  readonly sbom?: boolean;
  readonly onPushEvent?: (event: PushEvent) => void;
}

export interface ImageResult {
  readonly build: BuildResult;
  readonly digest: string;
  readonly manifests: ReadonlyArray<{ platform: string; digest: string }>;
  readonly base: { name: string; digest?: string };
  readonly tag: string;
  /** The SBOM artifacts attached: platform, format, artifact digest and the manifest it refers to. */
  readonly sboms: ReadonlyArray<{ platform: string; artifactType: string; digest: string; subject: string; scheme?: string }>;
  readonly written: { ociLayout?: string; tarball?: string; pushed?: PushResult; loaded?: string };
}

function checkOutputs(options: ImageOptions): void {
  if (options.push && !options.tag) throw new BuildStaticError('USAGE', '--push needs --tag REGISTRY/REPOSITORY[:TAG], e.g. --tag 127.0.0.1:5000/app:1.0');
  if (options.tag) parseReference(options.tag);
}

// Builds and writes the image; returns digests and what was written.
export async function buildImage(options: ImageOptions): Promise<ImageResult> {
  checkOutputs(options);
  const env = options.env ?? process.env;
  const epoch = sourceDateEpoch(env);
  const planned = await build({ ...options, dryRun: true, onEvent: undefined });
  if (planned.input.binaries.length !== 1) {
    throw new BuildStaticError('USAGE', `an image has one entrypoint: pass --bin with one of ${planned.input.binaries.map((b) => b.name).join(', ')}`);
  }
  const bin = planned.input.binaries[0]!;
  const baseSpec = options.base ?? planned.input.config.base ?? DEFAULT_BASE;
  const registry = options.insecureRegistries ? { insecureRegistries: [...options.insecureRegistries] } : {};
  const nothingAsked = !options.ociLayout && !options.tarball && !options.push && !options.load;
  const baseLayout = /^oci(?:-layout)?:(.+?)(?::([\w][\w.-]*))?$/.exec(baseSpec)?.[1];
  const claimed = await claimImageOutputs(
    { ociLayout: options.ociLayout ?? (nothingAsked ? join(planned.input.targetDirectory, 'build-static', 'image') : undefined), tarball: options.tarball },
    { force: options.force, protect: [planned.input.projectDir, planned.input.manifestPath, planned.input.targetDirectory, ...(baseLayout ? [baseLayout] : [])] },
  );
  const base = await loadBase(baseSpec, planned.input.config.platforms, registry);
  if (options.dryRun) {
    return { build: planned, digest: '', manifests: [], base: { name: base.name, ...(base.digest ? { digest: base.digest } : {}) }, tag: options.tag ?? '', sboms: [], written: {} };
  }

  const built = await build(options);
  const apps: AppBinary[] = [];
  for (const out of built.manifest!.outputs) {
    const platform = built.input.config.platforms.find((p) => p.id === out.platform)!;
    apps.push({ platform, bin: out.bin, bytes: new Uint8Array(await readFile(join(built.out, out.path))) });
  }
  const revision = await gitRevision(built.input.projectDir);
  const labels = imageAnnotations({
    name: bin.name,
    version: bin.version ?? '0.0.0',
    repository: bin.repository ?? null,
    description: bin.description ?? null,
    ...(revision ? { revision } : {}),
    epoch,
    baseName: base.name,
    ...(base.digest ? { baseDigest: base.digest } : {}),
  });
  const index = await appIndex(base, apps, { epoch, labels });
  const serialized = serializeIndex(index);
  const tag = options.tag ?? planned.input.config.tag ?? `localhost/${bin.name}:latest`;

  const sboms: ImageSbom[] = options.sbom === false ? [] : await sbomArtifacts(index, built.manifest!, built.out, epoch);
  const referrers = sboms.map((s) => s.artifact);
  const schemes = new Map<string, string>();
  const written: { ociLayout?: string; tarball?: string; pushed?: PushResult; loaded?: string } = {};
  const layoutDir = claimed.ociLayout;
  if (layoutDir) await writeLayoutOutput(layoutDir, index, tag, referrers).then(() => (written.ociLayout = layoutDir));
  if (claimed.tarball) await writeArchiveOutput(claimed.tarball, index, tag, epoch, referrers).then(() => (written.tarball = options.tarball));
  if (options.push) {
    written.pushed = await pushOutput(index, tag, { ...registry, ...(options.onPushEvent ? { onEvent: options.onPushEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    for (const r of await pushReferrersOutput(referrers, tag, { ...registry, ...(options.signal ? { signal: options.signal } : {}) })) schemes.set(r.digest, r.scheme);
  }
  if (options.load) written.loaded = await loadOutput(index, tag, epoch);
  return {
    build: built,
    digest: serialized.digest,
    manifests: serialized.index.manifests.map((m) => ({ platform: `${m.platform?.os}/${m.platform?.architecture}`, digest: m.digest })),
    base: { name: base.name, ...(base.digest ? { digest: base.digest } : {}) },
    tag,
    sboms: sboms.map((s) => ({ platform: s.platform, artifactType: s.artifact.descriptor.artifactType!, digest: s.artifact.descriptor.digest, subject: s.subject, ...(schemes.has(s.artifact.descriptor.digest) ? { scheme: schemes.get(s.artifact.descriptor.digest)! } : {}) })),
    written,
  };
}

// `build-static image` (and `build-static [DIR]`): its flags and help, one buildImage() call,
// the digests or JSON.
import { buildImage, type ImageResult } from '../../core/image/image.ts';
import type { PushEvent } from '../../oci/registry/index.ts';
import { listFlag, stringFlag } from '../args.ts';
import { defineCommand } from '../command.ts';
import type { CommandContext } from '../context.ts';
import { formatSize } from '../format.ts';
import { BUILD_OPTIONS, buildOptionsFrom } from './build-options.ts';

const HELP = `Usage: build-static image [DIR] [options]      (also: build-static [DIR] [options])

Builds the static binaries (like build-static build) and assembles a multi-platform OCI image
without a container daemon: the base image for each platform plus ONE layer with the binary at
/usr/local/bin/<bin> (mode 0555, owner 65532), Entrypoint, User 65532, SSL_CERT_FILE when the base
has CA certificates, org.opencontainers.image.* labels from Cargo.toml and git. Timestamps come
from SOURCE_DATE_EPOCH (default 0): the same inputs give the same digests.

Image options:
  --base REF             base image: a registry reference (default cgr.dev/chainguard/static:latest,
                         resolved to a digest and recorded), scratch, or oci-layout:DIR[:TAG]
  --tag REF              the image reference (required for --push), e.g. ghcr.io/org/app:1.0
  --oci-layout DIR       write an OCI image layout (the default when no output is given:
                         <cargo target dir>/build-static/image)
  --tarball FILE         write one OCI archive file (podman load, skopeo copy oci-archive:FILE …)
  --push                 push the index to the registry named by --tag
  --load                 load this machine's platform into podman
  --insecure-registry H  allow plain HTTP for registry H (loopback registries always may)
  --no-sbom              do not attach the SBOMs (on by default: each platform's image gets its
                         SPDX and CycloneDX documents as OCI 1.1 artifacts with the image as
                         subject, in the layout, the archive and the registry)
  --force                replace an existing --oci-layout DIR or --tarball FILE that is not
                         build-static's own output (never a project, $HOME, the current directory)

Build options: as for build-static build (--platform, --bin, --profile, --features, --std, …).
Credentials: docker config.json (DOCKER_CONFIG, credsStore, credHelpers) and podman auth.json.`;

const OPTIONS = {
  ...BUILD_OPTIONS,
  base: { type: 'string' },
  tag: { type: 'string' },
  'oci-layout': { type: 'string' },
  tarball: { type: 'string' },
  push: { type: 'boolean' },
  load: { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
  sbom: { type: 'boolean' },
  'no-sbom': { type: 'boolean' },
} as const;

// Build's options plus where the image goes.
export const imageCommand = defineCommand('image', HELP, {
  options: OPTIONS,
  onePositional: 'one project directory',
  run: async ({ values, dir }, ctx) => {
    const result = await buildImage({
      ...buildOptionsFrom(values, dir, ctx),
      base: stringFlag(values.base),
      tag: stringFlag(values.tag),
      ociLayout: stringFlag(values['oci-layout']),
      tarball: stringFlag(values.tarball),
      push: values.push === true,
      load: values.load === true,
      sbom: values['no-sbom'] !== true,
      insecureRegistries: listFlag(values['insecure-registry']),
      onPushEvent: pushProgress(ctx),
    });
    ctx.stdout(ctx.json ? JSON.stringify(resultJson(result)) : human(result));
    return 0;
  },
});

function pushProgress(ctx: CommandContext): (e: PushEvent) => void {
  const last = new Map<string, number>();
  const short = (d: string) => d.slice(7, 19);
  return (e) => {
    switch (e.type) {
      case 'blob-skipped':
        return ctx.stderr(`push: ${short(e.digest)} already there (${formatSize(e.size)})`);
      case 'blob-mounted':
        return ctx.stderr(`push: ${short(e.digest)} mounted from ${e.from}`);
      case 'blob-uploaded':
        return ctx.stderr(`push: ${short(e.digest)} uploaded (${formatSize(e.size)})`);
      case 'blob-progress': {
        const now = Date.now();
        if (now - (last.get(e.digest) ?? 0) < 1000) return;
        last.set(e.digest, now);
        return ctx.stderr(`push: ${short(e.digest)} ${formatSize(e.sent)} / ${formatSize(e.size)}`);
      }
      case 'blob-recovering':
        return ctx.stderr(`push: ${short(e.digest)} interrupted (${e.reason}); ${e.how} at ${formatSize(e.offset)}`);
      case 'manifest-pushed':
        return ctx.stderr(`push: ${e.platform ?? 'index'} ${short(e.digest)} → ${e.target}`);
      default:
        return ctx.stderr(`push: retrying: ${(e as { reason?: string }).reason ?? 'temporary failure'}`);
    }
  };
}

function resultJson(r: ImageResult) {
  return {
    ok: true,
    dryRun: r.build.dryRun,
    tag: r.tag,
    digest: r.digest,
    manifests: r.manifests,
    sboms: r.sboms,
    base: r.base,
    written: { ...r.written, pushed: r.written.pushed ? true : undefined },
    outputs: r.build.manifest?.outputs ?? [],
  };
}

function human(r: ImageResult): string {
  if (r.build.dryRun) {
    const platforms = r.build.input.config.platforms.map((p) => p.id).join(', ');
    return `would build ${r.tag} on ${r.base.name}${r.base.digest ? `@${r.base.digest}` : ''} for ${platforms}`;
  }
  const lines = [`image ${r.tag}@${r.digest} (base ${r.base.name}${r.base.digest ? `@${r.base.digest.slice(0, 19)}` : ''})`];
  for (const m of r.manifests) lines.push(`  ${m.platform}  ${m.digest}`);
  for (const s of r.sboms)
    lines.push(
      `  sbom ${s.platform} ${s.artifactType} ${s.digest} → ${s.subject.slice(0, 19)}` +
        (s.scheme ? ` (${s.scheme === 'tag' ? 'referrers tag' : 'referrers API'})` : ''),
    );
  if (r.written.ociLayout) lines.push(`wrote OCI layout ${r.written.ociLayout}`);
  if (r.written.tarball) lines.push(`wrote OCI archive ${r.written.tarball}`);
  if (r.written.pushed) lines.push(`pushed ${r.tag}`);
  if (r.written.loaded) lines.push(`podman: ${r.written.loaded}`);
  return lines.join('\n');
}

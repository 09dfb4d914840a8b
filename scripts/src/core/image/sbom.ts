// The SBOM artifacts of an app image: each platform's image manifest gets the SPDX (and
// CycloneDX) document `build` wrote next to its binary, as an OCI 1.1 artifact whose subject is
// that manifest — what `oras discover`, cosign and registry UIs look for beside an image.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { artifact, serializeIndex, type Artifact, type Index } from '../../oci/index.ts';
import type { BuildManifest } from '../build/output.ts';
import { rfc3339 } from './labels.ts';

export const SPDX_JSON = 'application/spdx+json';
export const CYCLONEDX_JSON = 'application/vnd.cyclonedx+json';

export interface ImageSbom {
  readonly platform: string;
  readonly subject: string;
  readonly artifact: Artifact;
}

// One artifact per platform image and SBOM format, read from OUT.
export async function sbomArtifacts(index: Index, manifest: BuildManifest, out: string, epoch: number): Promise<ImageSbom[]> {
  const result: ImageSbom[] = [];
  for (const image of serializeIndex(index).images) {
    const platform = `${image.platform.os}/${image.platform.architecture}`;
    const record = manifest.outputs.find((o) => o.platform === platform);
    if (!record?.sbom) continue;
    for (const [file, type] of [[record.sbom.spdx, SPDX_JSON], [record.sbom.cyclonedx, CYCLONEDX_JSON]] as const) {
      const payload = new Uint8Array(await readFile(join(out, file)));
      const annotations = { 'org.opencontainers.image.created': rfc3339(epoch), 'org.opencontainers.image.title': file.split('/').pop()! };
      result.push({ platform, subject: image.digest, artifact: artifact({ artifactType: type, payload, subject: image.descriptor, annotations }) });
    }
  }
  return result;
}

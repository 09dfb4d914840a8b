// SPDX 2.3 JSON for one binary: the binary as the described package, every crate as a package
// with its purl, Cargo.lock checksum, declared license and enabled features, the toolchain's
// rustc as a build tool and std/musl/mimalloc as statically linked. Bytes depend only on the
// input: the namespace is derived from a hash of the document itself, the time from the epoch.
import { createHash } from 'node:crypto';
import type { CrateNode } from './graph.ts';
import { rfc3339 } from '../image/labels.ts';
import { cratePurl, spdxLicense, type SbomInput } from './inputs.ts';

const NOASSERTION = 'NOASSERTION';

function spdxId(kind: string, name: string, version: string): string {
  return `SPDXRef-${kind}-${`${name}-${version}`.replace(/[^A-Za-z0-9.-]/g, '-')}`;
}

// The SPDX document's bytes (pretty-printed JSON and a final newline).
export function renderSpdx(input: SbomInput): Uint8Array {
  const binId = spdxId('Binary', input.bin, input.version);
  const crateId = (c: Pick<CrateNode, 'name' | 'version'>) => spdxId('Package-cargo', c.name, c.version);
  const byId = new Map([input.graph.root, ...input.graph.crates].map((c) => [c.id, c]));
  const crate = (c: CrateNode) => {
    const sum = input.checksums.get(`${c.name}@${c.version}`);
    const fromCratesIo = c.source?.startsWith('registry+https://github.com/rust-lang/crates.io-index') || c.source === 'sparse+https://index.crates.io/';
    return {
      name: c.name,
      SPDXID: crateId(c),
      versionInfo: c.version,
      downloadLocation: fromCratesIo ? `https://crates.io/api/v1/crates/${c.name}/${c.version}/download` : NOASSERTION,
      filesAnalyzed: false,
      ...(sum ? { checksums: [{ algorithm: 'SHA256', checksumValue: sum }] } : {}),
      licenseConcluded: NOASSERTION,
      licenseDeclared: spdxLicense(c.license) ?? NOASSERTION,
      copyrightText: NOASSERTION,
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: cratePurl(c.name, c.version) }],
      primaryPackagePurpose: 'LIBRARY',
      comment: `${c.scope === 'build' ? 'build-time only (build script or proc-macro input), not linked' : 'linked'}; features: ${c.features.join(', ') || 'none'}`,
    };
  };
  const root = input.graph.root;
  const packages = [
    {
      name: input.bin,
      SPDXID: binId,
      versionInfo: input.version,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      checksums: [{ algorithm: 'SHA256', checksumValue: input.sha256 }],
      licenseConcluded: NOASSERTION,
      licenseDeclared: spdxLicense(root.license) ?? NOASSERTION,
      copyrightText: NOASSERTION,
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: cratePurl(root.name, root.version) }],
      primaryPackagePurpose: 'APPLICATION',
      comment: `static executable for ${input.platform} (${input.triple}); package ${root.name}; features: ${root.features.join(', ') || 'none'}`,
    },
    {
      name: 'rustc',
      SPDXID: spdxId('Tool', 'rustc', input.rustc.version),
      versionInfo: input.rustc.version,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: 'MIT OR Apache-2.0',
      copyrightText: NOASSERTION,
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:generic/rustc@${input.rustc.version}` }],
      primaryPackagePurpose: 'APPLICATION',
      comment: input.rustc.description,
    },
    ...input.linked.map((l) => ({
      name: l.name,
      SPDXID: spdxId('Linked', l.name, l.version),
      versionInfo: l.version,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: l.license ?? NOASSERTION,
      copyrightText: NOASSERTION,
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: l.purl }],
      primaryPackagePurpose: 'LIBRARY',
      comment: l.description,
    })),
    ...input.graph.crates.map(crate),
  ];
  const rel = (a: string, type: string, b: string) => ({ spdxElementId: a, relationshipType: type, relatedSpdxElement: b });
  const relationships = [
    rel('SPDXRef-DOCUMENT', 'DESCRIBES', binId),
    rel(spdxId('Tool', 'rustc', input.rustc.version), 'BUILD_TOOL_OF', binId),
    ...input.linked.map((l) => rel(binId, 'STATIC_LINK', spdxId('Linked', l.name, l.version))),
  ];
  const elementOf = (c: CrateNode) => (c === root ? binId : crateId(c));
  for (const c of [root, ...input.graph.crates]) {
    for (const d of c.dependsOn) if (byId.has(d)) relationships.push(rel(elementOf(c), 'DEPENDS_ON', crateId(byId.get(d)!)));
    for (const d of c.buildDependsOn) if (byId.has(d)) relationships.push(rel(crateId(byId.get(d)!), 'BUILD_DEPENDENCY_OF', elementOf(c)));
  }
  const body = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${input.bin}-${input.version}-${input.platform.replace('/', '-')}`,
    documentNamespace: '',
    creationInfo: { created: rfc3339(input.epoch), creators: [`Tool: ${input.tool.name}-${input.tool.version}`] },
    documentDescribes: [binId],
    packages,
    relationships,
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  body.documentNamespace = `https://build-static.invalid/spdx/${body.name}-${digest}`;
  return new TextEncoder().encode(`${JSON.stringify(body, null, 2)}\n`);
}

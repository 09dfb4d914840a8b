// The SPDX 2.3 and CycloneDX 1.5 renderers on the fixture: the official CycloneDX schema accepts
// the document, every crate carries purl, checksum and license, build-only crates are marked, the
// bytes repeat and change (with the namespace / serial) when the binary does.
import { expect, test } from 'vitest';
import { renderCycloneDx } from '../../../scripts/src/core/sbom/cyclonedx.ts';
import { renderSpdx } from '../../../scripts/src/core/sbom/spdx.ts';
import { cycloneDxErrors, fixtureInput } from './fixtures.ts';

const json = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, any>;

test('CycloneDX: valid against bom-1.5, purls, hashes, scopes, linked C libraries, rustc as a tool', () => {
  const doc = json(renderCycloneDx(fixtureInput()));
  expect(cycloneDxErrors(doc)).toEqual([]);
  expect(cycloneDxErrors({ ...doc, components: [{ ...doc.components[0], scope: 'sometimes' }] })).not.toEqual([]); // the validator can fail
  expect(doc.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(doc.metadata.timestamp).toBe('2023-11-14T22:13:20Z');
  expect(doc.metadata.component).toMatchObject({ name: 'app', version: '0.1.0', purl: 'pkg:cargo/app@0.1.0', hashes: [{ alg: 'SHA-256', content: 'ab'.repeat(32) }] });
  expect(doc.metadata.tools.components.map((t: { name: string }) => t.name)).toEqual(['build-static', 'rustc']);
  const a = doc.components.find((c: { name: string }) => c.name === 'a');
  expect(a).toMatchObject({ purl: 'pkg:cargo/a@1.0.0', scope: 'required', hashes: [{ alg: 'SHA-256', content: '11'.repeat(32) }], licenses: [{ expression: 'MIT OR Apache-2.0' }] });
  expect(a.properties).toContainEqual({ name: 'cargo:features', value: 'std' });
  expect(doc.components.find((c: { name: string }) => c.name === 'b').scope).toBe('excluded');
  expect(doc.components.map((c: { name: string }) => c.name)).toEqual(['rust-std', 'musl', 'a', 'b', 'd', 'e', 'f']);
  expect(doc.components.map((c: { name: string }) => c.name)).not.toContain('c');
  const root = doc.dependencies[0];
  expect(root.dependsOn).toEqual(['pkg:generic/rust-std@1.95.0?target=aarch64-unknown-linux-musl', 'pkg:generic/musl@1.2.5', 'pkg:cargo/a@1.0.0', 'pkg:cargo/b@1.0.0']);
});

test('SPDX: 2.3 fields, DESCRIBES the binary, DEPENDS_ON / BUILD_DEPENDENCY_OF / STATIC_LINK / BUILD_TOOL_OF', () => {
  const doc = json(renderSpdx(fixtureInput()));
  expect(doc).toMatchObject({ spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', creationInfo: { created: '2023-11-14T22:13:20Z', creators: ['Tool: build-static-0.1.0'] } });
  expect(doc.documentNamespace).toMatch(/^https:\/\/build-static\.invalid\/spdx\/app-0\.1\.0-linux-arm64-[0-9a-f]{64}$/);
  const ids = new Set(doc.packages.map((p: { SPDXID: string }) => p.SPDXID));
  expect(ids.size).toBe(doc.packages.length);
  for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
  for (const r of doc.relationships) {
    expect(r.spdxElementId === 'SPDXRef-DOCUMENT' || ids.has(r.spdxElementId)).toBe(true);
    expect(ids.has(r.relatedSpdxElement)).toBe(true);
  }
  const d = doc.packages.find((p: { name: string }) => p.name === 'd');
  expect(d).toMatchObject({
    versionInfo: '2.1.0',
    downloadLocation: 'https://crates.io/api/v1/crates/d/2.1.0/download',
    checksums: [{ algorithm: 'SHA256', checksumValue: '22'.repeat(32) }],
    licenseDeclared: 'MIT OR Apache-2.0',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:cargo/d@2.1.0' }],
  });
  const types = (t: string) => doc.relationships.filter((r: { relationshipType: string }) => r.relationshipType === t).map((r: { spdxElementId: string; relatedSpdxElement: string }) => `${r.spdxElementId} ${r.relatedSpdxElement}`);
  expect(types('DESCRIBES')).toEqual(['SPDXRef-DOCUMENT SPDXRef-Binary-app-0.1.0']);
  expect(types('BUILD_DEPENDENCY_OF')).toEqual(['SPDXRef-Package-cargo-b-1.0.0 SPDXRef-Binary-app-0.1.0']);
  expect(types('STATIC_LINK')).toEqual(['SPDXRef-Binary-app-0.1.0 SPDXRef-Linked-rust-std-1.95.0', 'SPDXRef-Binary-app-0.1.0 SPDXRef-Linked-musl-1.2.5']);
  expect(types('BUILD_TOOL_OF')).toEqual(['SPDXRef-Tool-rustc-1.95.0 SPDXRef-Binary-app-0.1.0']);
  expect(types('DEPENDS_ON')).toContain('SPDXRef-Package-cargo-d-2.1.0 SPDXRef-Package-cargo-e-0.3.0');
  expect(doc.packages.find((p: { name: string }) => p.name === 'f').comment).toMatch(/^build-time only/);
});

test('same input, same bytes; another binary, another namespace and serial', () => {
  expect(renderSpdx(fixtureInput())).toEqual(renderSpdx(fixtureInput()));
  expect(renderCycloneDx(fixtureInput())).toEqual(renderCycloneDx(fixtureInput()));
  const other = fixtureInput({ sha256: 'cd'.repeat(32) });
  expect(json(renderSpdx(other)).documentNamespace).not.toBe(json(renderSpdx(fixtureInput())).documentNamespace);
  expect(json(renderCycloneDx(other)).serialNumber).not.toBe(json(renderCycloneDx(fixtureInput())).serialNumber);
});

// CycloneDX 1.5 JSON for one binary: the binary as metadata.component, every crate a library
// component (purl as bom-ref, Cargo.lock SHA-256, license expression, features as a property;
// build-only crates get scope "excluded": they ran at build time and are not in the binary),
// std/musl/mimalloc as linked libraries, rustc among the tools, and the dependency graph. The
// serial number is a UUID derived from a hash of the document, so the bytes repeat.
import { createHash } from 'node:crypto';
import type { CrateNode } from './graph.ts';
import { rfc3339 } from '../image/labels.ts';
import { cratePurl, spdxLicense, type SbomInput } from './inputs.ts';

// A UUID (RFC 9562 version 8, "custom") from the first 16 bytes of a sha256 hex digest.
export function uuidFromHash(hex: string): string {
  const b = hex.slice(0, 32).split('');
  b[12] = '8';
  b[16] = ((parseInt(b[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = b.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

const prop = (name: string, value: string) => ({ name, value });

// The CycloneDX document's bytes (pretty-printed JSON and a final newline).
export function renderCycloneDx(input: SbomInput): Uint8Array {
  const ref = (c: Pick<CrateNode, 'name' | 'version'>) => cratePurl(c.name, c.version);
  const licenses = (license: string | undefined) => {
    const expression = spdxLicense(license);
    return expression ? { licenses: [{ expression }] } : {};
  };
  const root = input.graph.root;
  const rootRef = `${ref(root)}?bin=${encodeURIComponent(input.bin)}`;
  const byId = new Map([root, ...input.graph.crates].map((c) => [c.id, c]));
  const components = [
    ...input.linked.map((l) => ({
      type: 'library',
      'bom-ref': l.purl,
      name: l.name,
      version: l.version,
      description: l.description,
      scope: 'required',
      ...licenses(l.license),
      purl: l.purl,
    })),
    ...input.graph.crates.map((c) => {
      const sum = input.checksums.get(`${c.name}@${c.version}`);
      return {
        type: 'library',
        'bom-ref': ref(c),
        name: c.name,
        version: c.version,
        scope: c.scope === 'runtime' ? 'required' : 'excluded',
        ...(sum ? { hashes: [{ alg: 'SHA-256', content: sum }] } : {}),
        ...licenses(c.license),
        purl: ref(c),
        properties: [prop('cargo:features', c.features.join(',')), prop('build-static:linked', c.scope === 'runtime' ? 'true' : 'false (build-time only)')],
      };
    }),
  ];
  const dependencies = [root, ...input.graph.crates].map((c) => ({
    ref: c === root ? rootRef : ref(c),
    dependsOn: [...c.dependsOn, ...c.buildDependsOn].filter((d) => byId.has(d)).map((d) => ref(byId.get(d)!)),
  }));
  dependencies[0] = { ref: rootRef, dependsOn: [...input.linked.map((l) => l.purl), ...dependencies[0]!.dependsOn] };
  const body = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: '',
    version: 1,
    metadata: {
      timestamp: rfc3339(input.epoch),
      tools: {
        components: [
          { type: 'application', name: input.tool.name, version: input.tool.version },
          { type: 'application', name: 'rustc', version: input.rustc.version, description: input.rustc.description, purl: `pkg:generic/rustc@${input.rustc.version}` },
        ],
      },
      component: {
        type: 'application',
        'bom-ref': rootRef,
        name: input.bin,
        version: input.version,
        hashes: [{ alg: 'SHA-256', content: input.sha256 }],
        ...licenses(root.license),
        purl: ref(root),
        properties: [prop('build-static:platform', input.platform), prop('build-static:target', input.triple), prop('cargo:package', root.name), prop('cargo:features', root.features.join(','))],
      },
    },
    components,
    dependencies,
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  body.serialNumber = `urn:uuid:${uuidFromHash(digest)}`;
  return new TextEncoder().encode(`${JSON.stringify(body, null, 2)}\n`);
}

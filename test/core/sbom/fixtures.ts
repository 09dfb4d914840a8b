// A small cargo-metadata shape for the SBOM tests: app → a (normal, with an optional dep that only
// Windows uses), app → b (build), app → c (dev), a → d, b → e, d → e (so e is linked after all),
// b → f (build-only); plus schema validators (CycloneDX 1.5 from @cyclonedx/cyclonedx-library).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { ResolvedMetadata } from '../../../scripts/src/core/sbom/graph.ts';
import type { SbomInput } from '../../../scripts/src/core/sbom/inputs.ts';
import { crateGraph } from '../../../scripts/src/core/sbom/graph.ts';

const REG = 'registry+https://github.com/rust-lang/crates.io-index';
const id = (name: string, version = '1.0.0') => `${REG}#${name}@${version}`;
export const ROOT = 'path+file:///src/app#0.1.0';
const normal = [{ kind: null, target: null }];
const build = [{ kind: 'build', target: null }];
const dev = [{ kind: 'dev', target: null }];

const pkg = (pid: string, name: string, version: string, extra: Record<string, unknown> = {}) => ({
  id: pid, name, version, manifest_path: `/registry/${name}-${version}/Cargo.toml`, targets: [], metadata: null, dependencies: [], source: pid === ROOT ? null : REG, license: 'MIT/Apache-2.0', ...extra,
});

export const METADATA: ResolvedMetadata = {
  workspace_root: '/src/app',
  packages: [
    pkg(ROOT, 'app', '0.1.0', { license: 'MIT' }),
    pkg(id('a'), 'a', '1.0.0', { dependencies: [{ name: 'winapi-only', features: [], kind: null, optional: true }, { name: 'd', features: [], kind: null }] }),
    pkg(id('b'), 'b', '1.0.0'),
    pkg(id('c'), 'c', '1.0.0'),
    pkg(id('d', '2.1.0'), 'd', '2.1.0'),
    pkg(id('e', '0.3.0'), 'e', '0.3.0', { license: 'BSD-3-Clause' }),
    pkg(id('f'), 'f', '1.0.0'),
  ],
  resolve: {
    nodes: [
      { id: ROOT, features: ['default'], deps: [{ pkg: id('a'), dep_kinds: normal }, { pkg: id('b'), dep_kinds: build }, { pkg: id('c'), dep_kinds: dev }] },
      { id: id('a'), features: ['std', 'winapi-only'], deps: [{ pkg: id('d', '2.1.0'), dep_kinds: normal }] },
      { id: id('b'), features: [], deps: [{ pkg: id('e', '0.3.0'), dep_kinds: normal }, { pkg: id('f'), dep_kinds: normal }] },
      { id: id('c'), features: [], deps: [] },
      { id: id('d', '2.1.0'), features: [], deps: [{ pkg: id('e', '0.3.0'), dep_kinds: normal }] },
      { id: id('e', '0.3.0'), features: [], deps: [] },
      { id: id('f'), features: [], deps: [] },
    ],
  },
};

// An SbomInput over METADATA, as build would assemble it.
export function fixtureInput(overrides: Partial<SbomInput> = {}): SbomInput {
  return {
    bin: 'app',
    version: '0.1.0',
    platform: 'linux/arm64',
    triple: 'aarch64-unknown-linux-musl',
    sha256: 'ab'.repeat(32),
    graph: crateGraph(METADATA, ROOT),
    checksums: new Map([['a@1.0.0', '11'.repeat(32)], ['d@2.1.0', '22'.repeat(32)]]),
    rustc: { version: '1.95.0', description: 'rustc 1.95.0 (59807616e 2026-04-14)' },
    linked: [
      { name: 'rust-std', version: '1.95.0', purl: 'pkg:generic/rust-std@1.95.0?target=aarch64-unknown-linux-musl', license: 'MIT OR Apache-2.0', description: 'std' },
      { name: 'musl', version: '1.2.5', purl: 'pkg:generic/musl@1.2.5', license: 'MIT', description: 'musl' },
    ],
    epoch: 1_700_000_000,
    tool: { name: 'build-static', version: '0.1.0' },
    ...overrides,
  };
}

const require = createRequire(import.meta.url);
const schemas = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const load = (file: string) => JSON.parse(readFileSync(join(schemas, file), 'utf8')) as Record<string, unknown>;

// Validates a CycloneDX 1.5 JSON document against the official schema; returns ajv's errors.
export function cycloneDxErrors(doc: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  // The bom schema names them by their SNAPSHOT file names, relative to its own $id.
  ajv.addSchema(load('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(load('jsf-0.82.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
  const validate = ajv.compile(load('bom-1.5.SNAPSHOT.schema.json'));
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

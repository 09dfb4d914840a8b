// The facts an SBOM is rendered from, and the small parsers that find them: crate checksums in
// Cargo.lock and the musl version inside a libc.a. Pure functions over text and bytes.
import { parseToml, tablesAt } from '../recipe/toml.ts';
import type { CrateGraph } from './graph.ts';

/** A C library or Rust component linked into the binary besides the crates. */
export interface LinkedComponent {
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly license?: string;
  readonly description: string;
}

export interface SbomInput {
  /** The binary's name and its package's version. */
  readonly bin: string;
  readonly version: string;
  readonly platform: string;
  readonly triple: string;
  /** sha256 hex of the binary. */
  readonly sha256: string;
  readonly graph: CrateGraph;
  /** `name@version` → sha256 hex from Cargo.lock. */
  readonly checksums: ReadonlyMap<string, string>;
  readonly rustc: { readonly version: string; readonly description: string };
  /** std, musl, mimalloc: what the link added that cargo does not list. */
  readonly linked: readonly LinkedComponent[];
  /** Seconds since 1970 (SOURCE_DATE_EPOCH, else 0). */
  readonly epoch: number;
  readonly tool: { readonly name: string; readonly version: string };
}

// `name@version` → checksum for every registry package in a Cargo.lock.
export function lockfileChecksums(text: string, where: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of tablesAt(parseToml(text, where, 'CARGO_METADATA_FAILED'), 'package')) {
    if (typeof p.name === 'string' && typeof p.version === 'string' && typeof p.checksum === 'string') out.set(`${p.name}@${p.version}`, p.checksum);
  }
  return out;
}

// musl's version from a libc.a: the `version.o`/`version.lo` member holds `__libc_version`
// ("1.2.5"), the only place a static musl records it.
export function muslVersion(archive: Uint8Array): string | undefined {
  const text = new TextDecoder('latin1');
  if (text.decode(archive.subarray(0, 8)) !== '!<arch>\n') return undefined;
  for (let at = 8; at + 60 <= archive.byteLength;) {
    const name = text.decode(archive.subarray(at, at + 16)).trim().replace(/\/$/, '');
    const size = Number(text.decode(archive.subarray(at + 48, at + 58)).trim());
    if (!Number.isFinite(size)) return undefined;
    if (name === 'version.o' || name === 'version.lo') {
      return /(\d+\.\d+\.\d+)\0/.exec(text.decode(archive.subarray(at + 60, at + 60 + size)))?.[1];
    }
    at += 60 + size + (size % 2);
  }
  return undefined;
}

// Cargo's old `MIT/Apache-2.0` license syntax as an SPDX expression (`MIT OR Apache-2.0`).
export function spdxLicense(license: string | undefined): string | undefined {
  if (!license) return undefined;
  return license.split('/').map((s) => s.trim()).filter(Boolean).join(' OR ');
}

// The package URL of a crate (purl-spec `cargo` type: crates.io names are case-sensitive as-is).
export function cratePurl(name: string, version: string): string {
  return `pkg:cargo/${encodeURIComponent(name)}@${encodeURIComponent(version)}`;
}

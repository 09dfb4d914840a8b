// The dependency list cargo-auditable embeds in executables: a `.dep-v0` section holding
// zlib-compressed JSON `{"packages":[{name, version, source, kind?, root?, dependencies?}]}`
// (dependencies are indices into the list; kind "build" marks build-time-only crates). Scanners
// (trivy, grype, syft) read it from the executable alone. Pure: the section's bytes and node:zlib.
import { inflateSync } from 'node:zlib';
import { malformed } from './errors.ts';
import type { Elf } from './elf.ts';
import { findSection, sectionData } from './sections.ts';

export const AUDIT_SECTION = '.dep-v0';

export interface AuditPackage {
  readonly name: string;
  readonly version: string;
  /** "crates.io", "git", "local", "registry", or another source kind. */
  readonly source: string;
  readonly kind?: 'build' | 'runtime';
  readonly root?: boolean;
  readonly dependencies?: readonly number[];
}

export interface AuditData {
  readonly format?: number;
  readonly packages: readonly AuditPackage[];
}

// The embedded dependency list, or undefined when the executable has no `.dep-v0` section.
export function auditData(bytes: Uint8Array, elf: Elf): AuditData | undefined {
  const section = findSection(elf.sections, AUDIT_SECTION);
  if (!section) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflateSync(sectionData(bytes, section), { maxOutputLength: 64 << 20 }));
  } catch (error) {
    throw malformed(`malformed ELF: the ${AUDIT_SECTION} section is not zlib-compressed UTF-8 (${(error as Error).message})`);
  }
  let data: { packages?: unknown; format?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    throw malformed(`malformed ELF: the ${AUDIT_SECTION} section does not hold JSON`);
  }
  if (!Array.isArray(data.packages)) throw malformed(`malformed ELF: the ${AUDIT_SECTION} JSON has no "packages" list`);
  const packages = data.packages.map((p: Record<string, unknown>, i) => {
    if (typeof p?.name !== 'string' || typeof p.version !== 'string') throw malformed(`malformed ELF: ${AUDIT_SECTION} package ${i} has no name or version`);
    const source = typeof p.source === 'string' ? p.source : typeof (p.source as { Other?: unknown })?.Other === 'string' ? String((p.source as { Other: string }).Other) : 'unknown';
    return {
      name: p.name,
      version: p.version,
      source,
      ...(p.kind === 'build' || p.kind === 'runtime' ? { kind: p.kind } : {}),
      ...(p.root === true ? { root: true } : {}),
      ...(Array.isArray(p.dependencies) ? { dependencies: p.dependencies.filter((d): d is number => Number.isInteger(d)) } : {}),
    } satisfies AuditPackage;
  });
  return { ...(typeof data.format === 'number' ? { format: data.format } : {}), packages };
}

// The dependency list in cargo-auditable's format, for embedding in the binary (`--auditable`):
// JSON `{"packages":[…]}` sorted by name, version and source, dependencies as indices, kind
// "build" for build-time-only crates, the root marked; zlib-compressed into a `.dep-v0` section of
// an assembler file that the target's C compiler turns into an object. The object is linked with
// `-Wl,--undefined=AUDITABLE_VERSION_INFO`: that reference keeps the section through --gc-sections.
import { deflateSync } from 'node:zlib';
import type { CrateGraph, CrateNode } from './graph.ts';

export const AUDITABLE_SYMBOL = 'AUDITABLE_VERSION_INFO';

function sourceKind(source: string | undefined): string {
  if (!source) return 'local';
  if (source === 'registry+https://github.com/rust-lang/crates.io-index' || source === 'sparse+https://index.crates.io/') return 'crates.io';
  if (source.startsWith('git+')) return 'git';
  return 'registry';
}

// The JSON text (compact, deterministic) of the graph.
export function auditableJson(graph: CrateGraph): string {
  const all: CrateNode[] = [graph.root, ...graph.crates];
  const key = (c: CrateNode) => [c.name, c.version, sourceKind(c.source)];
  all.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
  const index = new Map(all.map((c, i) => [c.id, i]));
  const packages = all.map((c) => {
    const deps = [...new Set([...c.dependsOn, ...c.buildDependsOn])].map((d) => index.get(d)).filter((i): i is number => i !== undefined).sort((a, b) => a - b);
    return {
      name: c.name,
      version: c.version,
      source: sourceKind(c.source),
      ...(c.scope === 'build' ? { kind: 'build' } : {}),
      ...(deps.length > 0 ? { dependencies: deps } : {}),
      ...(c === graph.root ? { root: true } : {}),
    };
  });
  return JSON.stringify({ packages });
}

// GNU assembler source for the section (works for x86_64 and aarch64 gas alike).
export function auditableAssembly(json: string): string {
  const data = deflateSync(new TextEncoder().encode(json), { level: 9 });
  const lines = ['\t.section .dep-v0,"a",@progbits', `\t.globl ${AUDITABLE_SYMBOL}`, `\t.type ${AUDITABLE_SYMBOL}, @object`, `${AUDITABLE_SYMBOL}:`];
  for (let i = 0; i < data.length; i += 32) lines.push(`\t.byte ${[...data.subarray(i, i + 32)].join(',')}`);
  lines.push(`\t.size ${AUDITABLE_SYMBOL}, ${data.length}`, '\t.section .note.GNU-stack,"",@progbits', '');
  return lines.join('\n');
}

// The rustc flags that link the object in and keep its section.
export function auditableRustflags(object: string): string[] {
  return ['-C', `link-arg=${object}`, '-C', `link-arg=-Wl,--undefined=${AUDITABLE_SYMBOL}`];
}

// The stand-in source for each target of a skeleton: the smallest file that compiles for its
// kind, so cargo builds every dependency while the workspace's own crates cost nothing.
import { type Table, tablesAt } from './toml.ts';
import type { RecipeTarget } from './types.ts';

const MAIN = 'fn main() {}\n';

// Whether a [[test]] or [[bench]] uses libtest's harness (the default) in this manifest.
export function usesHarness(doc: Table, target: RecipeTarget): boolean {
  const key = target.kind === 'Bench' ? 'bench' : target.kind === 'Test' ? 'test' : undefined;
  if (!key) return true;
  const entry = tablesAt(doc, key).find((e) => e.name === target.name);
  return entry?.harness !== false;
}

// Binaries, examples, build scripts and harness-less tests/benches need a `main`; libraries
// (proc-macros included) and harnessed tests/benches compile from an empty file.
export function dummySource(target: RecipeTarget, harness: boolean): string {
  switch (target.kind) {
    case 'Bin':
    case 'Example':
    case 'BuildScript':
      return MAIN;
    case 'Test':
    case 'Bench':
      return harness ? '' : MAIN;
    default:
      return '';
  }
}

import { expect, test } from 'vitest';
import { dummySource, usesHarness } from '../../../scripts/src/core/recipe/dummy.ts';
import type { RecipeTarget, TargetKind } from '../../../scripts/src/core/recipe/types.ts';

const doc = { test: [{ name: 'custom', harness: false }, { name: 'plain' }], bench: [{ name: 'speed', harness: false }] };
const target = (kind: TargetKind, name = 'x'): RecipeTarget => ({ path: 'x.rs', kind, name });

test.each([
  [target('Bin'), 'fn main() {}\n'],
  [target('Example'), 'fn main() {}\n'],
  [target('BuildScript'), 'fn main() {}\n'],
  [target({ Lib: { is_proc_macro: false } }), ''],
  [target({ Lib: { is_proc_macro: true } }), ''],
  [target('Test', 'plain'), ''],
  [target('Test', 'auto-discovered'), ''],
  [target('Test', 'custom'), 'fn main() {}\n'],
  [target('Bench', 'speed'), 'fn main() {}\n'],
  [target('Bench', 'custom'), ''],
])('%o → %j', (t, source) => {
  expect(dummySource(t, usesHarness(doc, t))).toBe(source);
});

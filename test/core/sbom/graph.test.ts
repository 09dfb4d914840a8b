// crateGraph on a small metadata shape: dev edges not followed, build-only crates scoped "build",
// a crate reachable both ways linked, absent optional deps' feature names dropped.
import { expect, test } from 'vitest';
import { crateGraph } from '../../../scripts/src/core/sbom/graph.ts';
import { METADATA, ROOT } from './fixtures.ts';

test('runtime and build scopes; dev-dependencies left out', () => {
  const g = crateGraph(METADATA, ROOT);
  expect(g.root.name).toBe('app');
  expect(g.crates.map((c) => [c.name, c.scope])).toEqual([['a', 'runtime'], ['b', 'build'], ['d', 'runtime'], ['e', 'runtime'], ['f', 'build']]);
  expect(g.root.dependsOn).toEqual([expect.stringContaining('#a@1.0.0')]);
  expect(g.root.buildDependsOn).toEqual([expect.stringContaining('#b@1.0.0')]);
});

test('features as resolved, without the implicit feature of an optional dependency cargo filtered out', () => {
  const a = crateGraph(METADATA, ROOT).crates.find((c) => c.name === 'a')!;
  expect(a.features).toEqual(['std']);
});

test('an id with no resolve node is an error, not an empty SBOM', () => {
  expect(() => crateGraph(METADATA, 'path+file:///nope#0.0.0')).toThrow('no resolve node');
});

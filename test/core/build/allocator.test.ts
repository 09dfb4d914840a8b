// The allocator decision per package, before anything is built: mimalloc by default, the crate's
// own allocator kept, "system" as the opt-out, explicit requests that cannot be met refused.
import { describe, expect, test } from 'vitest';
import { decideAllocator, decideAllocators, type DependencyInfo } from '../../../scripts/src/core/build/allocator.ts';
import type { Allocator } from '../../../scripts/src/core/config.ts';

const dep = (name: string, features: string[] = []): DependencyInfo => ({ name, features, kind: null });
const none: DependencyInfo[] = [dep('serde')];
const jemalloc = [dep('tikv-jemallocator')];
const mimalloc = [dep('mimalloc')];

describe('decideAllocator', () => {
  test.each<[string, Allocator, DependencyInfo[], object]>([
    ['default, no allocator code: mimalloc linked in', 'auto', none, { reason: 'default', inject: 'mimalloc', expected: 'mimalloc' }],
    ['default, own jemalloc: kept', 'auto', jemalloc, { reason: 'crate', crate: 'tikv-jemallocator', expected: 'jemalloc' }],
    ['default, own mimalloc: kept, nothing linked in', 'auto', mimalloc, { reason: 'crate', crate: 'mimalloc', expected: 'mimalloc' }],
    ['system: musl', 'system', none, { reason: 'requested', expected: 'musl' }],
    ['mimalloc requested: linked in', 'mimalloc', none, { reason: 'requested', inject: 'mimalloc', expected: 'mimalloc' }],
    ['mimalloc-secure requested: the secure flavor', 'mimalloc-secure', none, { reason: 'requested', inject: 'mimalloc-secure' }],
    ['mimalloc requested, crate has it: the crate serves it', 'mimalloc', mimalloc, { reason: 'crate', crate: 'mimalloc' }],
    ['a dev-dependency allocator does not count', 'auto', [{ name: 'tikv-jemallocator', features: [], kind: 'dev' }], { reason: 'default', inject: 'mimalloc' }],
  ])('%s', (_what, wanted, deps, expected) => {
    const got = decideAllocator(wanted, deps, 'app');
    expect(got).toMatchObject(expected);
    if (!('inject' in expected)) expect(got.inject).toBeUndefined();
  });

  test.each<[Allocator, DependencyInfo[], RegExp]>([
    ['system', jemalloc, /app sets its own allocator \(crate tikv-jemallocator\), but allocator "system" was requested/],
    ['mimalloc', jemalloc, /conflicts with allocator "mimalloc"/],
    ['mimalloc-secure', mimalloc, /without its "secure" feature/],
  ])('%s with a conflicting crate allocator: ALLOCATOR_MISMATCH', (wanted, deps, message) => {
    expect(() => decideAllocator(wanted, deps, 'app')).toThrow(message);
  });
});

describe('decideAllocators', () => {
  const mixed = [{ name: 'plain', deps: none }, { name: 'own', deps: jemalloc }];

  test('default with one binary bringing its own: nothing linked in, the others get a note', () => {
    const got = decideAllocators('auto', mixed);
    expect(got.own).toMatchObject({ reason: 'crate', crate: 'tikv-jemallocator' });
    expect(got.plain).toMatchObject({ reason: 'default', expected: 'musl', note: expect.stringMatching(/own uses tikv-jemallocator.*--bin/) });
    expect(got.plain!.inject).toBeUndefined();
  });

  test('an explicit request the binaries disagree on is refused', () => {
    expect(() => decideAllocators('mimalloc', [{ name: 'plain', deps: none }, { name: 'own', deps: mimalloc }])).toThrow(/disagree on their allocator for "mimalloc"/);
  });

  test('all without allocator code: all get the default', () => {
    expect(Object.values(decideAllocators('auto', [{ name: 'a', deps: none }, { name: 'b', deps: none }])).map((d) => d.inject)).toEqual(['mimalloc', 'mimalloc']);
  });
});

import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { THREADING_MARKERS, detectThreading, parseElf } from '../../scripts/src/elf/index.ts';
import { buildFixtures, type FixtureName, type Fixtures } from './fixtures.ts';

const MATRIX: [FixtureName, boolean, RegExp | undefined][] = [
  ['rust-threads-stripped', true, /symbol pthread_create \(imported\)/],
  ['rust-no-threads-stripped', false, undefined],
  ['glibc-threads', true, /symbol pthread_create \(imported\)/],
  ['musl-threads-static', true, /symbol pthread_create \(defined\)/],
  ['gnu-dynamic', false, undefined],
  ['musl-static', false, undefined],
  ['musl-threads-static-stripped', true, /code of musl pthread_create \(clone flags 0x7d0f00\)/],
];

let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures(MATRIX.map(([n]) => n));
});
afterAll(() => fx?.cleanup());

const detect = (name: FixtureName) => {
  const bytes = fx.bytes(name);
  return detectThreading(bytes, parseElf(bytes));
};

describe('detectThreading', () => {
  test.each(MATRIX)('%s: multiThreaded = %s', (name, multi, evidence) => {
    const got = detect(name);
    expect(got.multiThreaded, got.evidence.join(' | ')).toBe(multi);
    if (evidence) expect(got.evidence.some((e) => evidence.test(e)), got.evidence.join(' | ')).toBe(true);
    else expect(got.evidence.filter((e) => !e.startsWith('hint: '))).toEqual([]);
  });

  it('reports Rust std spawn strings as hints only', () => {
    const hints = detect('rust-threads-stripped').evidence.filter((e) => e.startsWith('hint: '));
    expect(hints.join(' | ')).toMatch(/failed to spawn thread/);
  });

  it('explains every marker it knows', () => {
    expect(THREADING_MARKERS['tokio-runtime-worker']).toMatch(/tokio/);
    expect(Object.values(THREADING_MARKERS).every((v) => v.length > 0)).toBe(true);
  });
});

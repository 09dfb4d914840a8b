import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { THREADING_MARKERS, detectThreading, parseElf } from '../../scripts/src/elf/index.ts';
import { buildFixtures, type FixtureName, type Fixtures } from './fixtures.ts';

const MATRIX: [FixtureName, boolean, RegExp | undefined][] = [
  ['rust-threads-stripped', true, /string "RUST_MIN_STACK"/],
  ['rust-no-threads-stripped', false, undefined],
  ['glibc-threads', true, /symbol pthread_create \(imported\)/],
  ['musl-threads-static', true, /symbol pthread_create \(defined\)/],
  ['gnu-dynamic', false, undefined],
  ['musl-static', false, undefined],
];

let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures([...MATRIX.map(([n]) => n), 'musl-threads-static-stripped']);
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
    else expect(got.evidence).toEqual([]);
  });

  it('finds Rust std spawn markers in string data, not only in symbols', () => {
    const strings = detect('rust-threads-stripped').evidence.filter((e) => e.startsWith('string '));
    expect(strings.join(' | ')).toMatch(/failed to spawn thread/);
    expect(strings.join(' | ')).toMatch(/failed to join thread/);
  });

  it('documented limit: a stripped static C program calling pthread_create is not detected', () => {
    expect(detect('musl-threads-static-stripped').multiThreaded).toBe(false);
  });

  it('explains every marker it knows', () => {
    expect(THREADING_MARKERS['tokio-runtime-worker']).toMatch(/tokio/);
    expect(Object.values(THREADING_MARKERS).every((v) => v.length > 0)).toBe(true);
  });
});

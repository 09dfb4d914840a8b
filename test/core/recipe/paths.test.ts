import { describe, expect, test } from 'vitest';
import { comparePaths, isInside, isSafeRelative, relativePosix } from '../../../scripts/src/core/recipe/paths.ts';

describe('comparePaths (Rust Path ordering, component by component)', () => {
  test.each([
    ['src/bin/a.rs', 'src-x/a.rs', -1],
    ['src/lib.rs', 'src/main.rs', -1],
    ['build.rs', 'src/lib.rs', -1],
    ['Cargo.toml', 'crates/a/Cargo.toml', -1],
    ['crates/a/Cargo.toml', 'crates/a/Cargo.toml', 0],
    ['a/b', 'a', 1],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(comparePaths(a, b))).toBe(sign);
  });
});

describe('isSafeRelative', () => {
  test.each([
    ['src/main.rs', true],
    ['./a/../b.rs', true],
    ['../escape.rs', false],
    ['a/../../escape.rs', false],
    ['/etc/passwd', false],
    ['', false],
  ])('%s → %s', (path, safe) => {
    expect(isSafeRelative(path)).toBe(safe);
  });
});

test('relativePosix and isInside', () => {
  expect(relativePosix('/r', '/r/crates/a/Cargo.toml')).toBe('crates/a/Cargo.toml');
  expect(isInside('/r', '/r/x')).toBe(true);
  expect(isInside('/r', '/r')).toBe(true);
  expect(isInside('/r', '/rx')).toBe(false);
  expect(isInside('/r', '/other')).toBe(false);
});

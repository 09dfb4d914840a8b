import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { classifyLinkage, isFullyStatic, parseElf, type LinkageKind } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';
import { syntheticElf } from './synthetic.ts';

const MATRIX: [FixtureName, LinkageKind, boolean][] = [
  ['gnu-dynamic', 'dynamic', true],
  ['gnu-dynamic-stripped', 'dynamic', true],
  ['glibc-static', 'static', false],
  ['musl-static', 'static', false],
  ['musl-static-stripped', 'static', false],
  ['musl-static-pie', 'static-pie', true],
  ['aarch64-gnu-dynamic', 'dynamic', true],
  ['aarch64-musl-static', 'static', false],
  ['aarch64-musl-static-stripped', 'static', false],
  ['i386-static', 'static', false],
  ['shared-lib', 'dynamic', false],
  ['i386-shared', 'dynamic', false],
  ['rpath', 'dynamic', true],
];

let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures(MATRIX.map(([n]) => n));
});
afterAll(() => fx?.cleanup());

describe('classifyLinkage', () => {
  test.each(MATRIX)('%s is %s (PIE: %s)', (name, kind, pie) => {
    const elf = parseElf(fx.bytes(name));
    const linkage = classifyLinkage(elf);
    expect(linkage.kind).toBe(kind);
    expect(elf.isPie).toBe(pie);
    expect(isFullyStatic(elf)).toBe(kind !== 'dynamic');
    expect(linkage.needed).toEqual(elf.dynamic?.needed ?? []);
    expect(linkage.interpreter).toBe(elf.interpreter);
  });

  it('names the interpreter and libraries of a dynamic binary, like readelf', () => {
    const linkage = classifyLinkage(parseElf(fx.bytes('gnu-dynamic')));
    expect(linkage.interpreter).toBe(/interpreter: ([^\]]+)/.exec(readelf(['-l'], fx.path('gnu-dynamic')))?.[1]);
    expect(linkage.needed).toEqual(['libc.so.6']);
  });

  it('a binary with DT_NEEDED but no interpreter is still dynamic', () => {
    const elf = parseElf(syntheticElf({ elfClass: 64, endian: 'little', type: 3, machine: 62, needed: ['libfoo.so'] }));
    expect(classifyLinkage(elf)).toEqual({ kind: 'dynamic', needed: ['libfoo.so'] });
  });

  it('an ET_DYN without interpreter or NEEDED is a static-pie only if it is a PIE', () => {
    const lib = parseElf(syntheticElf({ elfClass: 64, endian: 'big', type: 3, machine: 22, soname: 'libself.so', entry: 0 }));
    expect(classifyLinkage(lib).kind).toBe('dynamic');
    const pie = parseElf(syntheticElf({ elfClass: 32, endian: 'big', type: 3, machine: 20, flags1: 0x08000000 }));
    expect(classifyLinkage(pie).kind).toBe('static-pie');
  });

  it('omits interpreter for static kinds', () => {
    expect('interpreter' in classifyLinkage(parseElf(fx.bytes('musl-static')))).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { DF, DF_1, parseElf } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';
import { syntheticElf } from './synthetic.ts';

let fx: Fixtures;
const NAMES: FixtureName[] = ['gnu-dynamic', 'aarch64-gnu-dynamic', 'musl-static', 'musl-static-pie', 'rpath', 'runpath', 'shared-lib', 'i386-shared', 'glibc-threads'];
beforeAll(() => {
  fx = buildFixtures(NAMES);
});
afterAll(() => fx?.cleanup());

const fromReadelf = (file: string, kind: string) =>
  [...readelf(['-d'], file).matchAll(new RegExp(`\\(${kind}\\)\\s+[^[]*\\[([^\\]]*)\\]`, 'g'))].map((m) => m[1]!);

describe('dynamic section', () => {
  test.each(NAMES.filter((n) => n !== 'musl-static'))('%s: NEEDED and SONAME match readelf -d', (name) => {
    const dyn = parseElf(fx.bytes(name)).dynamic!;
    expect(dyn).toBeDefined();
    expect(dyn.needed).toEqual(fromReadelf(fx.path(name), 'NEEDED'));
    expect(dyn.soname).toBe(fromReadelf(fx.path(name), 'SONAME')[0]);
  });

  it('a classic static executable has no dynamic section', () => {
    expect(parseElf(fx.bytes('musl-static')).dynamic).toBeUndefined();
  });

  it('a static-pie has a dynamic section without NEEDED, flagged PIE', () => {
    const elf = parseElf(fx.bytes('musl-static-pie'));
    expect(elf.dynamic?.needed).toEqual([]);
    expect((elf.dynamic!.flags1 & DF_1.PIE) !== 0).toBe(true);
    expect(elf.isPie).toBe(true);
  });

  it('reads DT_RPATH (old tags) with $ORIGIN kept literally', () => {
    const dyn = parseElf(fx.bytes('rpath')).dynamic!;
    expect(dyn.rpath).toEqual(['$ORIGIN/lib']);
    expect(dyn.runpath).toEqual([]);
    expect(fromReadelf(fx.path('rpath'), 'RPATH')).toEqual(['$ORIGIN/lib']);
  });

  it('reads DT_RUNPATH (--enable-new-dtags) split on colons', () => {
    const dyn = parseElf(fx.bytes('runpath')).dynamic!;
    expect(dyn.runpath).toEqual(['$ORIGIN/lib', '/opt/bs']);
    expect(dyn.rpath).toEqual([]);
  });

  it('reads SONAME of shared libraries, 64- and 32-bit', () => {
    expect(parseElf(fx.bytes('shared-lib')).dynamic?.soname).toBe('libbsfixture.so.1');
    expect(parseElf(fx.bytes('i386-shared')).dynamic?.soname).toBe('libi386fixture.so.1');
    expect(parseElf(fx.bytes('shared-lib')).isPie).toBe(false);
  });

  it('reports DT_FLAGS/DT_FLAGS_1 bits as numbers', () => {
    const dyn = parseElf(fx.bytes('gnu-dynamic')).dynamic!;
    expect(dyn.flags1 & DF_1.PIE).toBe(DF_1.PIE);
    expect(typeof dyn.flags).toBe('number');
    expect(DF.BIND_NOW).toBe(8);
  });

  test.each([[32, 'big'], [64, 'big'], [32, 'little'], [64, 'little']] as const)('synthetic ELF%i %s-endian dynamic section', (elfClass, endian) => {
    const bytes = syntheticElf({ elfClass, endian, type: 3, machine: 20, interp: '/lib/ld.so.1', needed: ['libc.so.6', 'libm.so.6'], soname: 'libx.so.1', runpath: '$ORIGIN:/opt', flags1: DF_1.PIE });
    const elf = parseElf(bytes);
    expect(elf.dynamic).toMatchObject({ needed: ['libc.so.6', 'libm.so.6'], soname: 'libx.so.1', runpath: ['$ORIGIN', '/opt'], flags1: DF_1.PIE });
    expect(elf.interpreter).toBe('/lib/ld.so.1');
    expect(elf.isPie).toBe(true);
  });
});

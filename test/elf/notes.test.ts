import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { NT_GNU_BUILD_ID, parseElf } from '../../scripts/src/elf/index.ts';
import { buildFixtures, readelf, type FixtureName, type Fixtures } from './fixtures.ts';
import { syntheticElf } from './synthetic.ts';

let fx: Fixtures;
const NAMES: FixtureName[] = ['gnu-dynamic', 'gnu-dynamic-stripped', 'aarch64-gnu-dynamic', 'glibc-static', 'musl-static', 'shared-lib'];
beforeAll(() => {
  fx = buildFixtures(NAMES);
});
afterAll(() => fx?.cleanup());

describe('notes', () => {
  test.each(NAMES)('%s: build-id matches readelf -n', (name) => {
    const fromReadelf = /Build ID: ([0-9a-f]+)/.exec(readelf(['-n'], fx.path(name)))?.[1];
    expect(parseElf(fx.bytes(name)).buildId).toBe(fromReadelf);
  });

  it('gcc/glibc binaries carry a 20-byte (sha1) build-id; musl-gcc ones have none', () => {
    expect(parseElf(fx.bytes('gnu-dynamic')).buildId).toMatch(/^[0-9a-f]{40}$/);
    expect(parseElf(fx.bytes('musl-static')).buildId).toBeUndefined();
  });

  it('lists all notes with owner and type', () => {
    const notes = parseElf(fx.bytes('gnu-dynamic')).notes;
    expect(notes.some((n) => n.name === 'GNU' && n.type === NT_GNU_BUILD_ID)).toBe(true);
    expect(notes.some((n) => n.name === 'GNU' && n.type === 1)).toBe(true); // NT_GNU_ABI_TAG
  });

  test.each([[32, 'big'], [64, 'little']] as const)('synthetic ELF%i %s-endian build-id', (elfClass, endian) => {
    const elf = parseElf(syntheticElf({ elfClass, endian, machine: 22, buildId: [0x01, 0xab, 0xcd, 0xef, 0x10] }));
    expect(elf.buildId).toBe('01abcdef10');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElfError, classifyLinkage, detectAllocator, detectThreading, glibcFloor, parseElf } from '../../scripts/src/elf/index.ts';
import { buildFixtures, type FixtureName, type Fixtures } from './fixtures.ts';
import { syntheticElf } from './synthetic.ts';

let fx: Fixtures;
const SEEDS: FixtureName[] = ['gnu-dynamic', 'musl-static-pie', 'i386-shared'];
beforeAll(() => {
  fx = buildFixtures(SEEDS);
});
afterAll(() => fx?.cleanup());

// mulberry32: tiny deterministic PRNG so a failure can be replayed from its seed.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Header-ish ranges (ELF header, program headers, section headers, .dynamic, version tables) are
// where flips reach parser logic; flips in code would only ever produce a valid parse.
function hotRanges(bytes: Uint8Array): [number, number][] {
  const elf = parseElf(bytes);
  const ranges: [number, number][] = [[0, Math.min(bytes.length, 0x400)]];
  const h = elf.header;
  if (h.shoff) ranges.push([h.shoff, Math.min(bytes.length, h.shoff + elf.sections.length * h.shentsize)]);
  for (const s of elf.sections) {
    if (['.dynamic', '.gnu.version_r', '.dynsym', '.note.gnu.build-id', '.dynstr', '.shstrtab'].includes(s.name)) ranges.push([s.offset, s.offset + s.size]);
  }
  return ranges.filter(([a, b]) => b > a);
}

function run(original: Uint8Array, seed: number, iterations: number): { parsed: number; rejected: number } {
  const rnd = prng(seed);
  const hot = hotRanges(original);
  let parsed = 0;
  let rejected = 0;
  for (let i = 0; i < iterations; i++) {
    const bytes = original.slice();
    const flips = 1 + Math.floor(rnd() * 8);
    for (let f = 0; f < flips; f++) {
      const [a, b] = rnd() < 0.8 ? hot[Math.floor(rnd() * hot.length)]! : [0, bytes.length];
      const at = a + Math.floor(rnd() * (b - a));
      bytes[at] = rnd() < 0.3 ? 0xff : Math.floor(rnd() * 256);
    }
    try {
      const elf = parseElf(bytes);
      // The analyses must not throw on anything parseElf accepted.
      classifyLinkage(elf);
      glibcFloor(elf);
      detectAllocator(bytes, elf);
      detectThreading(bytes, elf);
      parsed++;
    } catch (e) {
      if (!(e instanceof ElfError) || /internal parse failure/.test(e.message)) {
        throw new Error(`seed ${seed} iteration ${i}: ${e instanceof Error ? e.stack : String(e)}`);
      }
      rejected++;
    }
  }
  return { parsed, rejected };
}

describe('fuzz: random byte flips', () => {
  it.each(SEEDS.map((name, i) => [name, 0xb5 + i] as const))('%s (seed %i): parseElf returns or throws ElfError', (name, seed) => {
    const { parsed, rejected } = run(fx.bytes(name), seed, 150);
    expect(parsed + rejected).toBe(150);
    expect(rejected).toBeGreaterThan(0);
  });

  it('synthetic big-endian ELF32 survives flips anywhere', () => {
    const bytes = syntheticElf({ elfClass: 32, endian: 'big', machine: 20, interp: '/lib/ld.so.1', needed: ['libc.so.6'], soname: 'x', buildId: [1, 2, 3, 4] });
    const { parsed, rejected } = run(bytes, 7, 100);
    expect(parsed + rejected).toBe(100);
  });
});

import { PT, type ProgramHeader } from './program-headers.ts';
import { SHF, SHT, type SectionHeader } from './sections.ts';

/** A named byte range of the file that may hold string literals. */
export interface DataRegion {
  name: string;
  offset: number;
  size: number;
}

export interface FoundString {
  region: string;
  offset: number;
  value: string;
}

interface ElfLayout {
  sections: readonly SectionHeader[];
  programHeaders: readonly ProgramHeader[];
}

// Where string literals live: allocated, non-executable sections with file data (.rodata,
// .data.rel.ro, .data…). Without section headers, the PT_LOAD segments; failing that, the whole file.
export function dataRegions(elf: ElfLayout, fileSize: number): DataRegion[] {
  const secs = elf.sections.filter(
    (s) => (s.flags & SHF.ALLOC) !== 0 && (s.flags & SHF.EXECINSTR) === 0 && s.type !== SHT.NOBITS && s.size > 0,
  );
  if (secs.length > 0) return secs.map((s) => ({ name: s.name || `section ${s.index}`, offset: s.offset, size: s.size }));
  const loads = elf.programHeaders.filter((p) => p.type === PT.LOAD && p.filesz > 0);
  if (loads.length > 0) return loads.map((p) => ({ name: `segment ${p.index}`, offset: p.offset, size: p.filesz }));
  return [{ name: 'file', offset: 0, size: fileSize }];
}

// Regions for the named sections only (e.g. ['.rodata']); unknown names are ignored.
export function namedRegions(elf: ElfLayout, names: readonly string[]): DataRegion[] {
  return elf.sections
    .filter((s) => names.includes(s.name) && s.type !== SHT.NOBITS)
    .map((s) => ({ name: s.name, offset: s.offset, size: s.size }));
}

// Byte-to-char conversion in chunks: spreading a huge array into fromCharCode would overflow the stack.
function asciiString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
const printable = (b: number) => (b >= 0x20 && b < 0x7f) || b === 0x09;

// Runs of printable ASCII of at least `minLength` bytes, like `strings -n`. Note that compilers
// often pack literals without separators (Rust does), so one run can hold several literals.
export function printableStrings(bytes: Uint8Array, regions: readonly DataRegion[], minLength = 4): FoundString[] {
  const out: FoundString[] = [];
  for (const reg of regions) {
    const end = Math.min(reg.offset + reg.size, bytes.byteLength);
    let start = -1;
    for (let i = reg.offset; i <= end; i++) {
      if (i < end && printable(bytes[i]!)) {
        if (start === -1) start = i;
        continue;
      }
      if (start !== -1 && i - start >= minLength) {
        out.push({ region: reg.name, offset: start, value: asciiString(bytes.subarray(start, i)) });
      }
      start = -1;
    }
  }
  return out;
}

// Byte-level substring search for an ASCII needle within [from, to); returns the file offset or -1.
export function indexOfAscii(bytes: Uint8Array, needle: string, from: number, to: number): number {
  const hay = bytes.subarray(Math.max(0, from), Math.min(to, bytes.byteLength));
  const first = needle.charCodeAt(0);
  const last = hay.length - needle.length;
  for (let i = hay.indexOf(first); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle.charCodeAt(j)) j++;
    if (j === needle.length) return hay.byteOffset - bytes.byteOffset + i;
  }
  return -1;
}

// Which of the `markers` occur in the regions, with the region they were first seen in. Matching is
// by substring, so a marker is found even inside a run of packed literals.
export function findMarkers(
  bytes: Uint8Array, regions: readonly DataRegion[], markers: readonly string[],
): Map<string, { region: string; offset: number }> {
  const found = new Map<string, { region: string; offset: number }>();
  for (const m of markers) {
    for (const reg of regions) {
      const at = indexOfAscii(bytes, m, reg.offset, reg.offset + reg.size);
      if (at !== -1) {
        found.set(m, { region: reg.name, offset: at });
        break;
      }
    }
  }
  return found;
}

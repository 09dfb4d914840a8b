// Writes small ELF files byte by byte, for the layouts no compiler on this machine produces
// (big-endian, ELF32 with a dynamic section) and for precise corruption tests.
export interface SyntheticOptions {
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  type?: number; // e_type, default ET_EXEC (2)
  machine: number;
  entry?: number;
  interp?: string;
  needed?: string[];
  soname?: string;
  runpath?: string;
  flags1?: number;
  buildId?: number[];
}

const BASE = 0x10000;

/** Builds: ELF header, 4 program headers (LOAD, INTERP, DYNAMIC, NOTE), the data they point to,
 * and section headers (NULL, .interp, .dynstr, .dynamic, .note.gnu.build-id, .shstrtab). */
export function syntheticElf(o: SyntheticOptions): Uint8Array {
  const is64 = o.elfClass === 64;
  const w = is64 ? 8 : 4;
  const le = o.endian === 'little';
  const buf = new Uint8Array(4096);
  const dv = new DataView(buf.buffer);
  const u16 = (at: number, v: number) => dv.setUint16(at, v, le);
  const u32 = (at: number, v: number) => dv.setUint32(at, v, le);
  const word = (at: number, v: number) => (is64 ? dv.setBigUint64(at, BigInt(v), le) : dv.setUint32(at, v, le));
  let pos = 0;
  const put = (bytes: number[] | Uint8Array, align = 1) => {
    pos = Math.ceil(pos / align) * align;
    const at = pos;
    buf.set(bytes, at);
    pos += bytes.length;
    return at;
  };
  const cstr = (s: string) => [...new TextEncoder().encode(s), 0];

  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  pos = ehsize + 4 * phentsize;
  const interp = o.interp === undefined ? -1 : put(cstr(o.interp));
  const interpSize = o.interp === undefined ? 0 : cstr(o.interp).length;
  // .dynstr
  const strs: number[] = [0];
  const strOff = (s: string) => { const at = strs.length; strs.push(...cstr(s)); return at; };
  const dynEntries: [number, number][] = [];
  for (const n of o.needed ?? []) dynEntries.push([1, strOff(n)]);
  if (o.soname) dynEntries.push([14, strOff(o.soname)]);
  if (o.runpath) dynEntries.push([29, strOff(o.runpath)]);
  if (o.flags1 !== undefined) dynEntries.push([0x6ffffffb, o.flags1]);
  const dynstr = put(strs);
  dynEntries.push([5, BASE + dynstr], [10, strs.length], [0, 0]);
  pos = Math.ceil(pos / w) * w;
  const dynamic = pos;
  for (const [tag, val] of dynEntries) { word(pos, tag); word(pos + w, val); pos += 2 * w; }
  const dynSize = pos - dynamic;
  const id = o.buildId ?? [];
  pos = Math.ceil(pos / 4) * 4;
  const note = pos;
  u32(pos, 4); u32(pos + 4, id.length); u32(pos + 8, 3); buf.set(cstr('GNU'), pos + 12); buf.set(id, pos + 16);
  pos += 16 + Math.ceil(id.length / 4) * 4;
  const noteSize = pos - note;
  const names = ['', '.interp', '.dynstr', '.dynamic', '.note.gnu.build-id', '.shstrtab'];
  const nameOff: number[] = [];
  const shstr: number[] = [];
  for (const n of names) { nameOff.push(shstr.length); shstr.push(...cstr(n)); }
  const shstrtab = put(shstr);
  pos = Math.ceil(pos / w) * w;
  const shoff = pos;
  const sh = (i: number, type: number, flags: number, off: number, size: number, link = 0, entsize = 0) => {
    const at = shoff + i * shentsize;
    u32(at, nameOff[i]!); u32(at + 4, type); word(at + 8, flags); word(at + 8 + w, flags & 2 ? BASE + off : 0);
    word(at + 8 + 2 * w, off); word(at + 8 + 3 * w, size); u32(at + 8 + 4 * w, link); u32(at + 12 + 4 * w, 0);
    word(at + 16 + 4 * w, 1); word(at + 16 + 5 * w, entsize);
  };
  sh(0, 0, 0, 0, 0);
  sh(1, o.interp === undefined ? 8 : 1, 2, Math.max(interp, 0), interpSize);
  sh(2, 3, 2, dynstr, strs.length);
  sh(3, 6, 3, dynamic, dynSize, 2, 2 * w);
  sh(4, 7, 2, note, noteSize);
  sh(5, 3, 0, shstrtab, shstr.length);
  const total = shoff + names.length * shentsize;
  const ph = (i: number, type: number, off: number, size: number, flags: number, align: number) => {
    const at = ehsize + i * phentsize;
    if (is64) {
      u32(at, type); u32(at + 4, flags); word(at + 8, off); word(at + 16, BASE + off); word(at + 24, BASE + off);
      word(at + 32, size); word(at + 40, size); word(at + 48, align);
    } else {
      u32(at, type); u32(at + 4, off); u32(at + 8, BASE + off); u32(at + 12, BASE + off);
      u32(at + 16, size); u32(at + 20, size); u32(at + 24, flags); u32(at + 28, align);
    }
  };
  ph(0, 1, 0, total, 5, 0x1000);
  ph(1, o.interp === undefined ? 0 : 3, Math.max(interp, 0), interpSize, 4, 1);
  ph(2, 2, dynamic, dynSize, 6, w);
  ph(3, 4, note, noteSize, 4, 4);
  buf.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1], 0);
  u16(16, o.type ?? 2); u16(18, o.machine); u32(20, 1);
  word(24, o.entry ?? BASE + 0x100); word(24 + w, ehsize); word(24 + 2 * w, shoff);
  u32(24 + 3 * w, 0); u16(28 + 3 * w, ehsize); u16(30 + 3 * w, phentsize); u16(32 + 3 * w, 4);
  u16(34 + 3 * w, shentsize); u16(36 + 3 * w, names.length); u16(38 + 3 * w, names.length - 1);
  return buf.slice(0, total);
}

import { DF_1, parseDynamic, type DynamicInfo } from './dynamic.ts';
import { ElfError, isElfError } from './errors.ts';
import { parseHeader, type ElfHeader, type ElfType } from './header.ts';
import { buildIdFromNotes, parseNotes, type ElfNote } from './notes.ts';
import { parseProgramHeaders, readInterpreter, type ProgramHeader } from './program-headers.ts';
import type { ElfClass, Endian } from './reader.ts';
import { parseSections, SHT, type SectionHeader } from './sections.ts';
import { parseSymbols, type ElfSymbol } from './symbols.ts';
import { parseVersionNeeds, type VersionNeed } from './versions.ts';

/** Everything the verifier needs to know about one ELF file, as plain JSON-serialisable data. */
export interface Elf {
  class: ElfClass;
  endian: Endian;
  type: ElfType;
  machine: number;
  machineName: string;
  entry: number;
  header: ElfHeader;
  fileSize: number;
  interpreter?: string;
  programHeaders: ProgramHeader[];
  sections: SectionHeader[];
  dynamic?: DynamicInfo;
  versionNeeds: VersionNeed[];
  /** .symtab entries (empty when stripped). */
  symbols: ElfSymbol[];
  /** .dynsym entries (imports/exports of dynamic objects). */
  dynamicSymbols: ElfSymbol[];
  notes: ElfNote[];
  buildId?: string;
  /** No .symtab section. */
  stripped: boolean;
  /** ET_DYN and a position-independent executable (DF_1_PIE, a PT_INTERP, or no SONAME and an entry point). */
  isPie: boolean;
}

function parse(bytes: Uint8Array): Elf {
  const { header, reader } = parseHeader(bytes);
  const { sections, phnum } = parseSections(reader, header);
  const programHeaders = parseProgramHeaders(reader, header, phnum);
  const interpreter = readInterpreter(bytes, programHeaders);
  const dynamic = parseDynamic(reader, sections, programHeaders);
  const notes = parseNotes(reader, sections, programHeaders);
  const symbols = parseSymbols(reader, sections, SHT.SYMTAB);
  const isPie =
    header.type === 'DYN' &&
    (((dynamic?.flags1 ?? 0) & DF_1.PIE) !== 0 || interpreter !== undefined || (!dynamic?.soname && header.entry !== 0));
  return {
    class: header.class,
    endian: header.endian,
    type: header.type,
    machine: header.machine,
    machineName: header.machineName,
    entry: header.entry,
    header,
    fileSize: bytes.byteLength,
    interpreter,
    programHeaders,
    sections,
    dynamic,
    versionNeeds: parseVersionNeeds(reader, sections, programHeaders, dynamic),
    symbols,
    dynamicSymbols: parseSymbols(reader, sections, SHT.DYNSYM),
    notes,
    buildId: buildIdFromNotes(notes),
    stripped: !sections.some((s) => s.type === SHT.SYMTAB),
    isPie,
  };
}

// Parses an ELF image held in memory. Throws ElfError (never RangeError/TypeError) for anything that
// is not a well-formed ELF32/ELF64 file of either byte order; every offset is checked first.
export function parseElf(bytes: Uint8Array): Elf {
  if (!(bytes instanceof Uint8Array)) throw new ElfError('ELF_NOT_ELF', 'not an ELF file (input is not a Uint8Array)');
  try {
    return parse(bytes);
  } catch (e) {
    if (isElfError(e)) throw e;
    // Safety net: a checker bug must still surface as an ElfError with a recognisable prefix.
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new ElfError('ELF_MALFORMED', `malformed ELF (internal parse failure: ${why})`, { cause: e });
  }
}

// Public surface of the ELF reader: pure functions over Uint8Array, plus readElfFile for convenience.
export { ElfError, isElfError, type ElfErrorCode } from './errors.ts';
export { parseElf, type Elf } from './elf.ts';
export { readElfFile } from './read-file.ts';
export { parseHeader, type ElfHeader, type ElfType } from './header.ts';
export { EM, MACHINE_NAMES, machineName, machineNumber } from './machines.ts';
export type { ElfClass, Endian } from './reader.ts';
export { PT, PF, programHeaderTypeName, vaddrToOffset, type ProgramHeader } from './program-headers.ts';
export { SHT, SHF, findSection, sectionData, type SectionHeader } from './sections.ts';
export { DT, DF, DF_1, type DynamicInfo, type DynamicEntry } from './dynamic.ts';
export { compareVersions, glibcFloor, glibcVersionNeeds, parseGlibcVersion, type VersionNeed } from './versions.ts';
export { STT, STB, symbolNames, type ElfSymbol } from './symbols.ts';
export { NT_GNU_BUILD_ID, type ElfNote } from './notes.ts';
export { dataRegions, findMarkers, indexOfAscii, namedRegions, printableStrings, type DataRegion, type FoundString } from './strings.ts';
export { classifyLinkage, isFullyStatic, type Linkage, type LinkageKind } from './classify.ts';
export { ALLOCATOR_MARKERS, detectAllocator, type AllocatorName, type AllocatorReport } from './allocator.ts';
export { THREADING_MARKERS, detectThreading, type ThreadingReport } from './threading.ts';
export { AUDIT_SECTION, auditData, type AuditData, type AuditPackage } from './audit-data.ts';

// A static ELF32 i386 executable (ET_EXEC) from the assembled sections, laid out as ld lays
// out a static program at 0x08048000 (see passes/sections.ts): one PT_LOAD segment R-X holding
// the ELF header, the program headers and the code and read-only data, and, when there is
// writable data, one PT_LOAD segment RW on the next page holding .data with .bss after it
// (memory size beyond file size). File offsets equal addresses minus 0x08048000, so every
// segment is congruent to its address modulo the page size. Section headers, a symbol table
// (labels and equ constants; `global` names bound global) and the section name table follow,
// for readelf, objdump and gdb; a loader needs only the program headers.

import type { AssembledProgram, AssembledSection } from "./passes/assembler.ts";
import {
  elfBaseAddress,
  elfHeaderBytes,
  elfProgramHeaderBytes,
  inReadOnlySegment,
  pageBytes,
} from "./passes/sections.ts";

const sectionHeaderBytes = 40;
const symbolBytes = 16;

const ET_EXEC = 2;
const EM_386 = 3;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;
const SHN_ABS = 0xfff1;
const STB_LOCAL = 0;
const STB_GLOBAL = 1;

export interface ElfInput {
  readonly program: AssembledProgram;
  readonly entryAddress: number;
  readonly globals: ReadonlySet<string>;
}

/** Appends NUL-terminated names and remembers their offsets. */
class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private sizeBytes = 1;

  add(name: string): number {
    const offset = this.sizeBytes;
    const bytes = new TextEncoder().encode(`${name}\0`);
    this.parts.push(bytes);
    this.sizeBytes += bytes.length;
    return offset;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.sizeBytes);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

interface Segment {
  readonly fileOffset: number;
  readonly address: number;
  readonly fileBytes: number;
  readonly memoryBytes: number;
  readonly flags: number;
}

function alignUp(value: number, alignBytes: number): number {
  return Math.ceil(value / alignBytes) * alignBytes;
}

function segments(program: AssembledProgram): Segment[] {
  const readOnly = program.sections.filter(inReadOnlySegment);
  const readOnlyEnd = Math.max(
    elfBaseAddress + elfHeaderBytes + program.layout.programHeaderCount * elfProgramHeaderBytes,
    ...readOnly.map((section) => section.baseAddress + section.sizeBytes),
  );
  const result: Segment[] = [
    {
      fileOffset: 0,
      address: elfBaseAddress,
      fileBytes: readOnlyEnd - elfBaseAddress,
      memoryBytes: readOnlyEnd - elfBaseAddress,
      flags: PF_R | PF_X,
    },
  ];
  if (program.layout.programHeaderCount < 2) return result;
  const writable = program.sections.filter((section) => !inReadOnlySegment(section));
  const start = Math.floor(Math.min(...writable.map((s) => s.baseAddress)) / pageBytes) * pageBytes;
  const stored = writable.filter((section) => !section.nobits);
  const fileEnd = Math.max(start, ...stored.map((s) => s.baseAddress + s.sizeBytes));
  const memoryEnd = Math.max(fileEnd, ...writable.map((s) => s.baseAddress + s.sizeBytes));
  result.push({
    fileOffset: start - elfBaseAddress,
    address: start,
    fileBytes: fileEnd - start,
    memoryBytes: memoryEnd - start,
    flags: PF_R | PF_W,
  });
  return result;
}

function sectionFlags(section: AssembledSection): number {
  return SHF_ALLOC | (section.write ? SHF_WRITE : 0) | (section.exec ? SHF_EXECINSTR : 0);
}

export function writeElfExecutable(input: ElfInput): Uint8Array {
  const { program } = input;
  const loadSegments = segments(program);
  const imageEnd = Math.max(...loadSegments.map((s) => s.fileOffset + s.fileBytes));

  // Symbol table: locals first, then globals (ELF requires this order).
  const names = new StringTable();
  const listed = program.symbols.filter((symbol) => !symbol.name.startsWith("..@"));
  const locals = listed.filter((symbol) => !input.globals.has(symbol.name));
  const globals = listed.filter((symbol) => input.globals.has(symbol.name));
  const shownSections = program.sections
    .map((section, index) => ({ section, index }))
    .filter(({ section, index }) => index === 0 || section.sizeBytes > 0);
  const headerIndexOf = new Map(shownSections.map(({ index }, position) => [index, position + 1]));
  const symbols = new Uint8Array((listed.length + 1) * symbolBytes);
  const symbolView = new DataView(symbols.buffer);
  [...locals, ...globals].forEach((symbol, position) => {
    const at = (position + 1) * symbolBytes;
    symbolView.setUint32(at, names.add(symbol.name), true);
    symbolView.setUint32(at + 4, symbol.value >>> 0, true);
    const bind = position < locals.length ? STB_LOCAL : STB_GLOBAL;
    symbolView.setUint8(at + 12, bind << 4);
    const shndx = symbol.section < 0 ? SHN_ABS : (headerIndexOf.get(symbol.section) ?? SHN_ABS);
    symbolView.setUint16(at + 14, shndx, true);
  });
  const symbolNames = names.bytes();

  const headerNames = new StringTable();
  const sectionNameOffsets = shownSections.map(({ section }) => headerNames.add(section.name));
  const symtabName = headerNames.add(".symtab");
  const strtabName = headerNames.add(".strtab");
  const shstrtabName = headerNames.add(".shstrtab");
  const headerNameBytes = headerNames.bytes();

  const symtabOffset = alignUp(imageEnd, 4);
  const strtabOffset = symtabOffset + symbols.length;
  const shstrtabOffset = strtabOffset + symbolNames.length;
  const sectionHeadersOffset = alignUp(shstrtabOffset + headerNameBytes.length, 4);
  const sectionCount = shownSections.length + 4;
  const file = new Uint8Array(sectionHeadersOffset + sectionCount * sectionHeaderBytes);
  const view = new DataView(file.buffer);

  // ELF header.
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0], 0);
  view.setUint16(16, ET_EXEC, true);
  view.setUint16(18, EM_386, true);
  view.setUint32(20, 1, true);
  view.setUint32(24, input.entryAddress >>> 0, true);
  view.setUint32(28, elfHeaderBytes, true);
  view.setUint32(32, sectionHeadersOffset, true);
  view.setUint32(36, 0, true);
  view.setUint16(40, elfHeaderBytes, true);
  view.setUint16(42, elfProgramHeaderBytes, true);
  view.setUint16(44, loadSegments.length, true);
  view.setUint16(46, sectionHeaderBytes, true);
  view.setUint16(48, sectionCount, true);
  view.setUint16(50, sectionCount - 1, true);

  loadSegments.forEach((segment, index) => {
    const at = elfHeaderBytes + index * elfProgramHeaderBytes;
    view.setUint32(at, PT_LOAD, true);
    view.setUint32(at + 4, segment.fileOffset, true);
    view.setUint32(at + 8, segment.address, true);
    view.setUint32(at + 12, segment.address, true);
    view.setUint32(at + 16, segment.fileBytes, true);
    view.setUint32(at + 20, segment.memoryBytes, true);
    view.setUint32(at + 24, segment.flags, true);
    view.setUint32(at + 28, pageBytes, true);
  });

  for (const section of program.sections) {
    // An empty section may lie past the image's end (a `section .data` with nothing in it).
    if (!section.nobits && section.bytes.length > 0)
      file.set(section.bytes, section.baseAddress - elfBaseAddress);
  }
  file.set(symbols, symtabOffset);
  file.set(symbolNames, strtabOffset);
  file.set(headerNameBytes, shstrtabOffset);

  const writeSectionHeader = (
    position: number,
    fields: readonly [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ],
  ) => {
    fields.forEach((value, k) => {
      view.setUint32(
        sectionHeadersOffset + position * sectionHeaderBytes + k * 4,
        value >>> 0,
        true,
      );
    });
  };
  shownSections.forEach(({ section }, position) => {
    writeSectionHeader(position + 1, [
      sectionNameOffsets[position]!,
      section.nobits ? SHT_NOBITS : SHT_PROGBITS,
      sectionFlags(section),
      section.baseAddress,
      section.baseAddress - elfBaseAddress,
      section.sizeBytes,
      0,
      0,
      section.alignBytes,
      0,
    ]);
  });
  const symtabIndex = shownSections.length + 1;
  writeSectionHeader(symtabIndex, [
    symtabName,
    SHT_SYMTAB,
    0,
    0,
    symtabOffset,
    symbols.length,
    symtabIndex + 1,
    locals.length + 1,
    4,
    symbolBytes,
  ]);
  writeSectionHeader(symtabIndex + 1, [
    strtabName,
    SHT_STRTAB,
    0,
    0,
    strtabOffset,
    symbolNames.length,
    0,
    0,
    1,
    0,
  ]);
  writeSectionHeader(symtabIndex + 2, [
    shstrtabName,
    SHT_STRTAB,
    0,
    0,
    shstrtabOffset,
    headerNameBytes.length,
    0,
    0,
    1,
    0,
  ]);
  return file;
}

// Parses a static ELF32 i386 executable (System V gABI + i386 psABI): the ELF header and the
// program headers, nothing else. Section headers, symbols and relocations are ignored: a
// static ET_EXEC image is fully described by its PT_LOAD segments and its entry point.
// Every rejection is an ElfError whose message names the offending field and position.
// Refused as Linux refuses them: segments that wrap past 4 GiB, reach kernel space
// (0xc0000000 and above, the i386 3 GiB split) or overlap another segment.

import { hex, hex32 } from "../hex-format.ts";
import {
  heapEndAddressMax,
  userSpaceEndAddress,
  userSpaceStartAddress,
} from "../memory/user-layout.ts";
import { LoadError } from "./load-error.ts";

export class ElfError extends LoadError {
  override name = "ElfError";
  /** The header field or structure at fault, e.g. "e_machine" or "program header 2". */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export interface ElfSegment {
  /** Index of its program header. */
  index: number;
  fileOffset: number;
  fileBytes: number;
  virtualAddress: number;
  memoryBytes: number;
  readable: boolean;
  writable: boolean;
  executable: boolean;
}

export interface ElfImage {
  entryAddress: number;
  /** PT_LOAD segments with a non-zero size, in program header order. */
  segments: ElfSegment[];
}

const elfHeaderBytes = 52;
const addressSpaceEnd = 2 ** 32;
const programHeaderBytes = 32;
const programHeaderCountMax = 64;

const elfClass32 = 1;
const elfClass64 = 2;
const elfDataLittleEndian = 1;
const elfDataBigEndian = 2;
const elfVersionCurrent = 1;
const elfTypeExecutable = 2;
const machineI386 = 3;

const segmentTypeLoad = 1;
const segmentTypeInterpreter = 3;
const segmentFlagExecute = 1;
const segmentFlagWrite = 2;
const segmentFlagRead = 4;

const elfTypeNames: Record<number, string> = {
  0: "ET_NONE",
  1: "ET_REL: an object file, link it first",
  3: "ET_DYN: a shared object or PIE, link with -static -no-pie",
  4: "ET_CORE: a core dump",
};

const machineNames: Record<number, string> = {
  0: "none",
  2: "SPARC",
  3: "i386",
  8: "MIPS",
  20: "PowerPC",
  21: "PowerPC64",
  40: "ARM",
  50: "IA-64",
  62: "x86-64",
  183: "AArch64",
  243: "RISC-V",
};

function fail(field: string, message: string): never {
  throw new ElfError(field, message);
}

function readSegment(
  view: DataView,
  index: number,
  offset: number,
  fileBytes: number,
): ElfSegment | undefined {
  const field = `program header ${index}`;
  const type = view.getUint32(offset, true);
  if (type === segmentTypeInterpreter) {
    fail(field, `${field} is PT_INTERP (needs a dynamic linker); sterna runs static executables`);
  }
  if (type !== segmentTypeLoad) return undefined;
  const fileOffset = view.getUint32(offset + 4, true);
  const virtualAddress = view.getUint32(offset + 8, true);
  const segmentFileBytes = view.getUint32(offset + 16, true);
  const memoryBytes = view.getUint32(offset + 20, true);
  const flags = view.getUint32(offset + 24, true);
  if (segmentFileBytes > memoryBytes) {
    fail(
      field,
      `${field} (PT_LOAD): p_filesz ${hex(segmentFileBytes)} exceeds p_memsz ${hex(memoryBytes)}`,
    );
  }
  if (fileOffset + segmentFileBytes > fileBytes) {
    fail(
      field,
      `${field} (PT_LOAD): p_offset ${hex(fileOffset)} + p_filesz ${hex(segmentFileBytes)} ends at byte ${fileOffset + segmentFileBytes}, outside the file (${fileBytes} bytes)`,
    );
  }
  if (memoryBytes === 0) return undefined;
  const endAddress = virtualAddress + memoryBytes;
  const extent = `p_vaddr ${hex32(virtualAddress)} + p_memsz ${hex(memoryBytes)}`;
  if (endAddress > addressSpaceEnd) {
    fail(field, `${field} (PT_LOAD): ${extent} wraps past the end of the 32-bit address space`);
  }
  if (endAddress > userSpaceEndAddress) {
    fail(
      field,
      `${field} (PT_LOAD): ${extent} reaches kernel space (${hex32(userSpaceEndAddress)} and above)`,
    );
  }
  if (virtualAddress < userSpaceStartAddress || endAddress > heapEndAddressMax) {
    fail(
      field,
      `${field} (PT_LOAD): p_vaddr ${hex32(virtualAddress)} + p_memsz ${hex(memoryBytes)} lies outside the loadable user space ${hex32(userSpaceStartAddress)}-${hex32(heapEndAddressMax)}`,
    );
  }
  return {
    index,
    fileOffset,
    fileBytes: segmentFileBytes,
    virtualAddress,
    memoryBytes,
    readable: (flags & segmentFlagRead) !== 0,
    writable: (flags & segmentFlagWrite) !== 0,
    executable: (flags & segmentFlagExecute) !== 0,
  };
}

/**
 * Two PT_LOAD segments may share a page but not a byte: Linux maps each over the last, so a
 * data segment on top of the text replaces the code, and Linux and qemu-i386 then fail.
 */
function checkNoOverlap(segments: readonly ElfSegment[]): void {
  const byAddress = [...segments].sort((a, b) => a.virtualAddress - b.virtualAddress);
  for (let i = 1; i < byAddress.length; i++) {
    const lower = byAddress[i - 1]!;
    const upper = byAddress[i]!;
    if (lower.virtualAddress + lower.memoryBytes > upper.virtualAddress) {
      const field = `program header ${upper.index}`;
      fail(
        field,
        `${field} (PT_LOAD): p_vaddr ${hex32(upper.virtualAddress)} overlaps program header ${lower.index} (p_vaddr ${hex32(lower.virtualAddress)} + p_memsz ${hex(lower.memoryBytes)})`,
      );
    }
  }
}

/** Checks the identification bytes and the ELF header fields that say "i386 executable". */
function checkHeader(image: Uint8Array, view: DataView): void {
  if (
    image.length < 4 ||
    image[0] !== 0x7f ||
    image[1] !== 0x45 ||
    image[2] !== 0x4c ||
    image[3] !== 0x46
  ) {
    fail("e_ident[EI_MAG]", "not an ELF file (bad magic)");
  }
  if (image.length < elfHeaderBytes) {
    fail(
      "ELF header",
      `truncated: the ELF header needs ${elfHeaderBytes} bytes, file has ${image.length} bytes`,
    );
  }
  const elfClass = image[4]!;
  if (elfClass === elfClass64) {
    fail("e_ident[EI_CLASS]", "ELF class is 64-bit; sterna runs 32-bit i386 executables");
  }
  if (elfClass !== elfClass32) {
    fail("e_ident[EI_CLASS]", `e_ident[EI_CLASS] is ${elfClass}, expected 1 (32-bit)`);
  }
  const dataEncoding = image[5]!;
  if (dataEncoding === elfDataBigEndian) {
    fail("e_ident[EI_DATA]", "ELF data encoding is big-endian; i386 executables are little-endian");
  }
  if (dataEncoding !== elfDataLittleEndian) {
    fail("e_ident[EI_DATA]", `e_ident[EI_DATA] is ${dataEncoding}, expected 1 (little-endian)`);
  }
  if (image[6] !== elfVersionCurrent) {
    fail("e_ident[EI_VERSION]", `e_ident[EI_VERSION] is ${image[6]}, expected 1`);
  }
  const machine = view.getUint16(18, true);
  if (machine !== machineI386) {
    const machineName = machineNames[machine] ?? "unknown";
    fail("e_machine", `e_machine is ${machine} (${machineName}), expected 3 (i386)`);
  }
  const type = view.getUint16(16, true);
  if (type !== elfTypeExecutable) {
    const typeName = elfTypeNames[type] ?? "unknown";
    fail("e_type", `e_type is ${type} (${typeName}), expected 2 (ET_EXEC)`);
  }
  const version = view.getUint32(20, true);
  if (version !== elfVersionCurrent) fail("e_version", `e_version is ${version}, expected 1`);
}

/** Parses and validates an executable; throws ElfError naming the first problem found. */
export function parseElf(image: Uint8Array): ElfImage {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  checkHeader(image, view);
  const entryAddress = view.getUint32(24, true);
  const programHeaderOffset = view.getUint32(28, true);
  const programHeaderEntryBytes = view.getUint16(42, true);
  const programHeaderCount = view.getUint16(44, true);
  if (programHeaderEntryBytes !== programHeaderBytes) {
    fail(
      "e_phentsize",
      `e_phentsize is ${programHeaderEntryBytes}, expected ${programHeaderBytes}`,
    );
  }
  if (programHeaderCount === 0) fail("e_phnum", "e_phnum is 0: the file has no program headers");
  if (programHeaderCount > programHeaderCountMax) {
    fail(
      "e_phnum",
      `e_phnum is ${programHeaderCount}, more than the ${programHeaderCountMax} sterna accepts`,
    );
  }
  for (let index = 0; index < programHeaderCount; index++) {
    const endByte = programHeaderOffset + (index + 1) * programHeaderBytes;
    if (endByte > image.length) {
      fail(
        `program header ${index}`,
        `truncated: program header ${index} ends at byte ${endByte}, file has ${image.length} bytes`,
      );
    }
  }
  const segments: ElfSegment[] = [];
  for (let index = 0; index < programHeaderCount; index++) {
    const offset = programHeaderOffset + index * programHeaderBytes;
    const segment = readSegment(view, index, offset, image.length);
    if (segment) segments.push(segment);
  }
  if (segments.length === 0) fail("program headers", "no PT_LOAD segment: nothing to load");
  checkNoOverlap(segments);
  const entrySegment = segments.find(
    (s) =>
      s.executable &&
      entryAddress >= s.virtualAddress &&
      entryAddress < s.virtualAddress + s.fileBytes,
  );
  if (!entrySegment) {
    fail("e_entry", `e_entry ${hex32(entryAddress)} is not inside an executable PT_LOAD segment`);
  }
  return { entryAddress, segments };
}

// Builds a new address space for a parsed executable: each PT_LOAD segment mapped page by
// page (read-only unless the segment is writable), file bytes copied in, the rest (bss) left
// zero from fresh frames; then the initial stack at the top of user space. The heap starts
// at the page after the highest segment and its pages, like the stack's, appear on demand.

import type { Machine } from "../../vm/machine.ts";
import { AddressSpace } from "../memory/address-space.ts";
import type { FrameAllocator } from "../memory/frame-allocator.ts";
import {
  pageAlignDown,
  pageAlignUp,
  pageSizeBytes,
  stackTopAddress,
} from "../memory/user-layout.ts";
import type { ElfImage } from "./elf.ts";
import { buildInitialStack } from "./initial-stack.ts";
import { LoadError } from "./load-error.ts";

export interface LoadedProgram {
  addressSpace: AddressSpace;
  entryAddress: number;
  stackPointer: number;
  brkStartAddress: number;
  imagePageCount: number;
  stackPageCount: number;
}

function outOfMemory(machine: Machine, neededPages: number): LoadError {
  return new LoadError(
    `out of memory: the program needs ${neededPages} pages to start, the ${machine.memoryBytes}-byte machine has fewer free`,
  );
}

function segmentPageCount(elf: ElfImage): number {
  let pages = 0;
  for (const s of elf.segments) {
    pages +=
      (pageAlignUp(s.virtualAddress + s.memoryBytes) - pageAlignDown(s.virtualAddress)) /
      pageSizeBytes;
  }
  return pages;
}

export function loadProgram(
  machine: Machine,
  frames: FrameAllocator,
  elf: ElfImage,
  image: Uint8Array,
  argv: readonly string[],
  /** The most memory the process may hold: its kernel's cap. */
  memoryBytesMax: number,
): LoadedProgram {
  const stack = buildInitialStack(argv, stackTopAddress);
  const stackPages = (stackTopAddress - pageAlignDown(stack.stackPointer)) / pageSizeBytes;
  const imagePageCount = segmentPageCount(elf);
  if ((imagePageCount + stackPages) * pageSizeBytes > memoryBytesMax) {
    throw new LoadError(
      `the program needs ${(imagePageCount + stackPages) * pageSizeBytes} bytes of memory to start, more than the ${memoryBytesMax} a process may have`,
    );
  }
  // Every page may need its own page table in the worst case, plus the directory.
  const neededPages = 2 * (imagePageCount + stackPages) + 1;
  if (neededPages > frames.freeFrameCount) throw outOfMemory(machine, neededPages);
  const addressSpace = AddressSpace.create(machine, frames);
  if (!addressSpace) throw outOfMemory(machine, neededPages);
  let highestEndAddress = 0;
  for (const segment of elf.segments) {
    const endAddress = segment.virtualAddress + segment.memoryBytes;
    for (
      let page = pageAlignDown(segment.virtualAddress);
      page < endAddress;
      page += pageSizeBytes
    ) {
      addressSpace.mapZeroPage(page, segment.writable);
    }
    addressSpace.writeAsKernel(
      segment.virtualAddress,
      image.subarray(segment.fileOffset, segment.fileOffset + segment.fileBytes),
    );
    highestEndAddress = Math.max(highestEndAddress, endAddress);
  }
  for (
    let page = pageAlignDown(stack.stackPointer);
    page < stackTopAddress;
    page += pageSizeBytes
  ) {
    addressSpace.mapZeroPage(page, true);
  }
  addressSpace.writeAsKernel(stack.stackPointer, stack.bytes);
  return {
    addressSpace,
    entryAddress: elf.entryAddress,
    stackPointer: stack.stackPointer,
    brkStartAddress: pageAlignUp(highestEndAddress),
    imagePageCount,
    stackPageCount: stackPages,
  };
}

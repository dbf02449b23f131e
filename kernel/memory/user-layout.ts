// Where things live in a process's linear address space (flat, 4 KiB pages, like Linux i386
// with a 3 GiB user split): image segments low, the brk heap after them, the stack growing
// down from the top of user space. The first page is never mapped so null pointers fault.

import { stackBytesMax } from "../limits.ts";

export const pageSizeBytes = 4096;
export const pageMask = pageSizeBytes - 1;

/** The lowest address a segment may use: page 0 stays unmapped. */
export const userSpaceStartAddress = 0x1000;
/** One past the last user address; the kernel's half above it is never mapped. */
export const userSpaceEndAddress = 0xc0000000;

export const stackTopAddress = userSpaceEndAddress;
/** The stack grows on demand down to stackBytesMax (8 MiB, Linux's default `ulimit -s`). */
export const stackLowestAddress = stackTopAddress - stackBytesMax;

/** Unmapped space kept between the heap and the stack (Linux's stack guard gap is 1 MiB). */
export const stackGuardGapBytes = 1024 * 1024;
/** The brk heap may not grow past this address. */
export const heapEndAddressMax = stackLowestAddress - stackGuardGapBytes;

export function pageAlignDown(address: number): number {
  return address - (address % pageSizeBytes);
}

export function pageAlignUp(address: number): number {
  return pageAlignDown(address + pageMask);
}

// brk(addr): moves the program break. Linux's contract: brk(0) or any refused request returns
// the current break unchanged; success returns the new break. Growing only moves the limit
// (pages appear zeroed on first touch); shrinking unmaps the whole pages above the new break.
// A growth is refused past the heap's maximum address, past the process's memoryBytesMax, or
// when the free frames could never back it.

import { heapEndAddressMax, pageAlignUp, pageSizeBytes } from "../memory/user-layout.ts";
import type { SyscallHandler } from "./syscall-handler.ts";

export const brkCall: SyscallHandler = (kernel, process, requestedAddress) => {
  if (requestedAddress < process.brkStartAddress || requestedAddress > heapEndAddressMax) {
    return process.brkAddress;
  }
  const oldEndAddress = pageAlignUp(process.brkAddress);
  const newEndAddress = pageAlignUp(requestedAddress);
  if (newEndAddress > oldEndAddress) {
    const addedPages = (newEndAddress - oldEndAddress) / pageSizeBytes;
    if (addedPages > kernel.frames.freeFrameCount) return process.brkAddress;
    if (process.committedBytes(requestedAddress) > process.memoryBytesMax)
      return process.brkAddress;
  } else if (newEndAddress < oldEndAddress) {
    process.addressSpace.unmapRange(newEndAddress, oldEndAddress);
  }
  process.brkAddress = requestedAddress;
  return requestedAddress;
};

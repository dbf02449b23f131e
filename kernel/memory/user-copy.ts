// Copies between user buffers and the kernel, translating page by page as the user would
// (mmu.probe: user privilege, R/W checked, A/D set), so a syscall can never read or write
// what the process itself could not. Missing heap/stack pages are faulted in, as Linux does.
// A bad pointer anywhere in the range makes the whole copy fail (the caller returns -EFAULT).

import type { Machine } from "../../vm/machine.ts";
import { copyCycles } from "../cost-table.ts";
import type { Process } from "../process/process.ts";
import { pageMask, pageSizeBytes, userSpaceEndAddress } from "./user-layout.ts";

/** Whether [linear, linear + lengthBytes) lies inside user space. */
export function isUserRange(linear: number, lengthBytes: number): boolean {
  return linear >= 0 && lengthBytes >= 0 && linear + lengthBytes <= userSpaceEndAddress;
}

function translateForUser(
  machine: Machine,
  process: Process,
  linear: number,
  write: boolean,
): number {
  const physical = machine.mmu.probe(linear, write);
  if (physical >= 0 || process.addressSpace.isMapped(linear)) return physical;
  return process.faultInPage(linear) ? machine.mmu.probe(linear, write) : -1;
}

/** Physical addresses of each page of the range, or undefined if any page is inaccessible. */
function translateRange(
  machine: Machine,
  process: Process,
  linear: number,
  lengthBytes: number,
  write: boolean,
): number[] | undefined {
  if (!isUserRange(linear, lengthBytes)) return undefined;
  const physicalPages: number[] = [];
  let address = linear;
  const endAddress = linear + lengthBytes;
  while (address < endAddress) {
    const physical = translateForUser(machine, process, address, write);
    if (physical < 0) return undefined;
    physicalPages.push(physical);
    address = address - (address & pageMask) + pageSizeBytes;
  }
  return physicalPages;
}

/** Whether the process could read (or write) the whole range, faulting in demand pages. */
export function canAccessUser(
  machine: Machine,
  process: Process,
  linear: number,
  lengthBytes: number,
  write: boolean,
): boolean {
  return translateRange(machine, process, linear, lengthBytes, write) !== undefined;
}

/** Reads `lengthBytes` from the process; undefined when the buffer is not readable. */
export function copyFromUser(
  machine: Machine,
  process: Process,
  linear: number,
  lengthBytes: number,
): Uint8Array | undefined {
  const physicalPages = translateRange(machine, process, linear, lengthBytes, false);
  if (!physicalPages) return undefined;
  const bytes = new Uint8Array(lengthBytes);
  let doneBytes = 0;
  for (const physical of physicalPages) {
    const chunkBytes = Math.min(lengthBytes - doneBytes, pageSizeBytes - (physical & pageMask));
    bytes.set(machine.memory.readBytes(physical, chunkBytes), doneBytes);
    doneBytes += chunkBytes;
  }
  machine.chargeCycles(copyCycles(lengthBytes));
  return bytes;
}

/** Writes bytes into the process; false (and nothing written) when the buffer is not writable. */
export function copyToUser(
  machine: Machine,
  process: Process,
  linear: number,
  bytes: Uint8Array,
): boolean {
  const physicalPages = translateRange(machine, process, linear, bytes.length, true);
  if (!physicalPages) return false;
  let doneBytes = 0;
  for (const physical of physicalPages) {
    const chunkBytes = Math.min(bytes.length - doneBytes, pageSizeBytes - (physical & pageMask));
    machine.memory.writeBytes(physical, bytes.subarray(doneBytes, doneBytes + chunkBytes));
    doneBytes += chunkBytes;
  }
  machine.chargeCycles(copyCycles(bytes.length));
  return true;
}

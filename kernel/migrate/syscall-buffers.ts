// The user memory a syscall may read or write, from its number and argument registers, so that
// a process that moved by copy-on-reference fetches those pages before the call runs (a call
// never meets a page that is still at the source halfway through, when part of its work is
// done). A superset is fine: extra pages are only fetched earlier than they would be. brk
// counts the pages a shrink would drop, so a later growth cannot bring back their old contents.

import {
  messageBytesMax,
  nodeCountMax,
  spawnArgumentBytesMax,
  spawnPathBytesMax,
} from "../limits.ts";
import { nodeinfoRecordBytes } from "../load/nodeinfo-record.ts";
import { pageAlignDown, pageSizeBytes, userSpaceEndAddress } from "../memory/user-layout.ts";
import { loadsEntryBytes } from "../syscalls/node-calls.ts";
import { SyscallNumber } from "../syscalls/syscall-numbers.ts";

/** [linear, lengthBytes) ranges; lengths are clipped to user space by the caller. */
export type UserRange = readonly [number, number];

export function syscallUserRanges(
  number: number,
  ebx: number,
  ecx: number,
  edx: number,
  brkAddress: number,
): UserRange[] {
  switch (number) {
    case SyscallNumber.read:
    case SyscallNumber.write:
    case SyscallNumber.send:
      return [[ecx, edx]];
    case SyscallNumber.receive:
      // It writes one message at most, whatever capacity it names.
      return [[ebx, Math.min(ecx, messageBytesMax)]];
    case SyscallNumber.spawn:
      return edx === 0
        ? [[ebx, spawnPathBytesMax + 1]]
        : [
            [ebx, spawnPathBytesMax + 1],
            [edx, spawnArgumentBytesMax + 1],
          ];
    case SyscallNumber.nodeinfo:
      return ebx === 0 ? [] : [[ebx, nodeinfoRecordBytes]];
    case SyscallNumber.loads:
      return [[ebx, Math.min(ecx, nodeCountMax) * loadsEntryBytes]];
    case SyscallNumber.brk:
      return ebx !== 0 && ebx < brkAddress ? [[ebx, brkAddress - ebx]] : [];
    default:
      return [];
  }
}

/** Calls `visit` for the linear address of every page of the range inside user space. */
export function forEachPageOf(range: UserRange, visit: (pageLinear: number) => void): void {
  const [linear, lengthBytes] = range;
  const endAddress = Math.min(linear + lengthBytes, userSpaceEndAddress);
  for (let page = pageAlignDown(linear); page < endAddress; page += pageSizeBytes) visit(page);
}

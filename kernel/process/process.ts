// The process control block of this first kernel: identity, address space, brk heap,
// memory use, life state and how it ended. Registers live in the CPU while the only process runs; the
// scheduler (a later issue) adds a saved context, parent, priority and mailbox here.

import type { FaultReport } from "../faults/fault-report.ts";
import { processMemoryBytesMax } from "../limits.ts";
import type { AddressSpace } from "../memory/address-space.ts";
import {
  pageAlignUp,
  pageSizeBytes,
  stackLowestAddress,
  stackTopAddress,
} from "../memory/user-layout.ts";
import type { Pid } from "./pid.ts";

export const enum ProcessState {
  Ready = 0,
  Running = 1,
  Exited = 2,
}

export class Process {
  state = ProcessState.Ready;
  /** Exit status as a shell sees it: 0-255 from exit, 128 + signal when killed. */
  exitStatus = 0;
  fault: FaultReport | undefined;
  /** Set when the kernel stopped the process because it ran past an instruction limit. */
  instructionLimitReached = false;

  /** The current program break (not page aligned, as Linux keeps it). */
  brkAddress: number;

  constructor(
    readonly pid: Pid,
    readonly addressSpace: AddressSpace,
    /** Where the heap starts: the page after the highest loaded segment. */
    readonly brkStartAddress: number,
    /** Pages of the loaded segments. */
    private readonly imagePageCount: number,
    /** Stack pages mapped so far. */
    private stackPageCount: number,
  ) {
    this.brkAddress = brkStartAddress;
  }

  /**
   * Memory the process holds against processMemoryBytesMax: its image, its stack pages, and
   * its heap up to the break (counted whole, although heap pages appear only when touched).
   */
  committedBytes(brkAddress = this.brkAddress): number {
    const heapBytes = pageAlignUp(brkAddress) - this.brkStartAddress;
    return (this.imagePageCount + this.stackPageCount) * pageSizeBytes + heapBytes;
  }

  get isAlive(): boolean {
    return this.state !== ProcessState.Exited;
  }

  /**
   * Whether a missing page at `linear` is one the kernel supplies zeroed on first touch: in
   * the heap below the break, or in the stack's 8 MiB.
   */
  isDemandZero(linear: number): boolean {
    return (
      (linear >= this.brkStartAddress && linear < pageAlignUp(this.brkAddress)) ||
      (linear >= stackLowestAddress && linear < stackTopAddress)
    );
  }

  /**
   * Maps the demand-zero page holding `linear`. False outside those areas, when a new stack
   * page would take the process past processMemoryBytesMax, or when no frame is free.
   */
  faultInPage(linear: number): boolean {
    if (!this.isDemandZero(linear)) return false;
    const inStack = linear >= stackLowestAddress;
    if (inStack && this.committedBytes() + pageSizeBytes > processMemoryBytesMax) return false;
    if (!this.addressSpace.mapZeroPage(linear, true)) return false;
    if (inStack) this.stackPageCount++;
    return true;
  }
}

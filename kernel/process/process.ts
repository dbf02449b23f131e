// The process control block: identity, family, address space, brk heap, saved registers,
// scheduling facts, IPC state (mailbox and outgoing pair numbers), a blocked call waiting to
// complete, and how the process ended. Everything but the address space (which lives in guest
// memory) is plain numbers and JSON-safe records, so kernel/migrate can serialise a PCB into
// bytes. The kernel owns the transitions; this file only holds the facts.

import type { FaultReport } from "../faults/fault-report.ts";
import { Mailbox } from "../ipc/mailbox.ts";
import { PairSequenceTable } from "../ipc/pair-sequence-table.ts";
import { processMemoryBytesMax } from "../limits.ts";
import type { AddressSpace } from "../memory/address-space.ts";
import {
  pageAlignUp,
  pageSizeBytes,
  stackLowestAddress,
  stackTopAddress,
} from "../memory/user-layout.ts";
import { type Pid, pidNone } from "./pid.ts";
import { SavedContext } from "./saved-context.ts";

export const enum ProcessState {
  Ready = 0,
  Running = 1,
  /** Ended, its status not yet collected by its parent's wait. */
  Exited = 2,
  BlockedReceive = 3,
  BlockedWait = 4,
  Sleeping = 5,
  /** Waiting for another node's kernel to answer (remote send, spawn, kill). */
  BlockedRemote = 6,
  /** Held still by a migration (kernel/migrate): off the CPU, the queues and the timers. */
  Frozen = 7,
}

/** Each ProcessState's name, for traces and reports. */
export const processStateNames = [
  "ready",
  "running",
  "exited",
  "receive",
  "wait",
  "sleep",
  "remote",
  "frozen",
] as const;

/**
 * What a process woken from a blocking syscall does when it next runs. Its saved registers
 * still hold the call's number and arguments (eax is written only when the call completes),
 * so a receive woken by a message or a wait woken by a child's end simply runs its call
 * again, now without blocking; a sleep that ended or a receive that timed out gets a result.
 */
export const enum ResumeAction {
  None = 0,
  RerunSyscall = 1,
  SetResult = 2,
}

export class Process {
  state = ProcessState.Ready;
  /** Exit status as a shell sees it: 0-255 from exit, 128 + signal when killed. */
  exitStatus = 0;
  fault: FaultReport | undefined;
  /** Set when the kernel stopped the process because it ran past an instruction limit. */
  instructionLimitReached = false;
  /** Set when kill (1007) ended it. */
  killed = false;
  /** Descends from a --run process: the boot lasts while such processes live. */
  inJob = false;
  /** When the kernel ended it, why, in a report's words ("killed by ...", "killed: ..."). */
  endReason: string | undefined;

  /** The parent's PID; pidNone when the kernel is the parent (--run processes, orphans). */
  parentPid: Pid = pidNone;
  /** Its own priority level (0 most urgent); aging may lift it only while it waits. */
  priority: number;
  /** Registers, eip and EFLAGS while the process is off the CPU. */
  readonly context = new SavedContext();
  /** Machine cycles spent on the CPU, kernel work done for it included. */
  cpuCycles = 0;
  /** Order of ending on this node, so wait collects the earliest ended child first. */
  endedOrder = 0;
  /** Virtual time of its birth (its age travels with it when it migrates). */
  bornAtNs = 0;

  readonly mailbox: Mailbox;
  /** For each peer it sends to, the pair sequence number to stamp next. */
  readonly sendSeqs = new PairSequenceTable();
  resumeAction = ResumeAction.None;
  /** The eax a SetResult resume writes. */
  resumeResult = 0;
  /** The id of its pending wake-up in the node's timer queue, or 0. */
  wakeTimerId = 0;

  /** The current program break (not page aligned, as Linux keeps it). */
  brkAddress: number;
  /** The most memory it may hold (see committedBytes); its kernel's processMemoryBytesMax. */
  memoryBytesMax = processMemoryBytesMax;

  constructor(
    readonly pid: Pid,
    /** What people see in reports: the base name of the program file. */
    readonly name: string,
    readonly addressSpace: AddressSpace,
    /** Where the heap starts: the page after the highest loaded segment. */
    readonly brkStartAddress: number,
    /** Pages of the loaded segments. */
    readonly imagePageCount: number,
    /** Stack pages mapped so far. */
    public stackPageCount: number,
    priority: number,
  ) {
    this.brkAddress = brkStartAddress;
    this.priority = priority;
    this.mailbox = new Mailbox(pid);
  }

  /**
   * Memory the process holds against memoryBytesMax: its image, its stack pages, and
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
   * the heap below the break, or in the stack's 8 MiB; never a page still at another node.
   */
  isDemandZero(linear: number): boolean {
    if (this.addressSpace.isRemote(linear)) return false;
    return (
      (linear >= this.brkStartAddress && linear < pageAlignUp(this.brkAddress)) ||
      (linear >= stackLowestAddress && linear < stackTopAddress)
    );
  }

  /**
   * Maps the demand-zero page holding `linear`. False outside those areas, when a new stack
   * page would take the process past memoryBytesMax, or when no frame is free.
   */
  faultInPage(linear: number): boolean {
    if (!this.isDemandZero(linear)) return false;
    const inStack = linear >= stackLowestAddress;
    if (inStack && this.committedBytes() + pageSizeBytes > this.memoryBytesMax) return false;
    if (!this.addressSpace.mapZeroPage(linear, true)) return false;
    if (inStack) this.stackPageCount++;
    return true;
  }
}

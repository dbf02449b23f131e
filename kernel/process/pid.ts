// Global process identifiers. A PID is the home node (where the process was born) in the high
// 12 bits and that node's local counter in the low 20 bits (DESIGN.md §4); it never changes
// when the process migrates, so the home node can always be read off it. Local counter 0 is
// never used: PID 0 means "none" or, as a filter, "any". The local counter's top 4 bits are the
// node's epoch (how many times it restarted after a crash): a restarted node has lost its
// process table and location table, so it cannot know which of its old PIDs still name
// processes living elsewhere; it counts in a block of its own instead. This file models the numbering only;
// which PIDs are alive is the process table's business, passed in as a predicate.

import { nodeCountMax } from "../limits.ts";

/** A global PID: a positive integer below 2^31 (see nodeCountMax). */
export type Pid = number;

/** "No process" as a result, "any process" as a receive or wait filter. */
export const pidNone: Pid = 0;

export const pidLocalBits = 20;
export const pidLocalMax = (1 << pidLocalBits) - 1;
/** The 12-bit node field keeps its top bit clear: nodes 0..2047 (see nodeCountMax). */
export const pidNodeMax = nodeCountMax - 1;
/** The largest PID: node pidNodeMax, local id pidLocalMax; below 2^31. */
export const pidMax = pidNodeMax * (pidLocalMax + 1) + pidLocalMax;

/**
 * The local id of a node's kernel as a sender: messages from the kernel to its Starter carry
 * NODE.0xFFFFF (docs/abi.md), which the allocator below never hands out.
 */
export const kernelSenderLocalId = pidLocalMax;

export function makePid(homeNode: number, localId: number): Pid {
  if (!Number.isInteger(homeNode) || homeNode < 0 || homeNode > pidNodeMax) {
    throw new RangeError(`PID home node must be 0..${pidNodeMax}, got ${homeNode}`);
  }
  if (!Number.isInteger(localId) || localId < 1 || localId > pidLocalMax) {
    throw new RangeError(`PID local id must be 1..${pidLocalMax}, got ${localId}`);
  }
  return homeNode * (pidLocalMax + 1) + localId;
}

export function pidHomeNode(pid: Pid): number {
  return pid >>> pidLocalBits;
}

export function pidLocalId(pid: Pid): number {
  return pid & pidLocalMax;
}

/** Whether `value` could name a process: an integer with a valid node and a non-zero counter. */
export function isPid(value: number): boolean {
  return Number.isInteger(value) && value > 0 && value <= pidMax && pidLocalId(value) !== 0;
}

/** "NODE.LOCAL", e.g. "3.17": what people read in traces and reports. */
export function formatPid(pid: Pid): string {
  return `${pidHomeNode(pid)}.${pidLocalId(pid)}`;
}

/** Reads "NODE.LOCAL" or a plain decimal PID; throws a one-line error naming the text. */
export function parsePid(text: string): Pid {
  const dotted = /^(\d{1,4})\.(\d{1,7})$/.exec(text);
  if (dotted) {
    const homeNode = Number(dotted[1]);
    const localId = Number(dotted[2]);
    if (homeNode > pidNodeMax || localId < 1 || localId > pidLocalMax) {
      throw new RangeError(
        `bad PID "${text}": node must be 0..${pidNodeMax}, local id 1..${pidLocalMax}`,
      );
    }
    return makePid(homeNode, localId);
  }
  if (/^\d{1,10}$/.test(text) && isPid(Number(text))) return Number(text);
  throw new RangeError(`bad PID "${text}": expected NODE.LOCAL such as 0.1, or a PID number`);
}

/** Bits of the local counter that hold the node's epoch (its restarts); 16 bits count within it. */
export const pidEpochBits = 4;
export const pidEpochMax = (1 << pidEpochBits) - 1;
const pidEpochShift = pidLocalBits - pidEpochBits;
/** The last local id of an epoch's block; the very last id (2^20 - 1) is the kernel sender's. */
function epochLastLocalId(epoch: number): number {
  return Math.min(((epoch + 1) << pidEpochShift) - 1, pidLocalMax - 1);
}

/** The epoch a PID was issued in (its home node's restarts before its birth). */
export function pidEpoch(pid: Pid): number {
  return pidLocalId(pid) >>> pidEpochShift;
}

export interface LocalPidAllocatorState {
  homeNode: number;
  nextLocalId: number;
}

/**
 * Hands out the PIDs of processes born on one node in one epoch: the counter counts up from
 * the epoch's first id, wraps back to it after the block's last, and skips every PID the caller
 * still reports in use. Epoch 0's first PID is NODE.1; epoch e's is NODE.(e * 65536).
 */
export class LocalPidAllocator {
  private nextLocalId: number;
  private readonly firstLocalId: number;
  private readonly lastLocalId: number;

  constructor(
    readonly homeNode: number,
    readonly epoch = 0,
  ) {
    if (!Number.isInteger(epoch) || epoch < 0 || epoch > pidEpochMax) {
      throw new RangeError(`PID epoch must be 0..${pidEpochMax}, got ${epoch}`);
    }
    this.firstLocalId = Math.max(1, epoch << pidEpochShift);
    this.lastLocalId = epochLastLocalId(epoch);
    this.nextLocalId = this.firstLocalId;
    makePid(homeNode, this.firstLocalId);
  }

  /**
   * The next PID for which `isInUse` is false, or undefined when every PID of the epoch's
   * block is in use (the caller answers -EAGAIN). Probes at most the block's size.
   */
  allocate(isInUse: (pid: Pid) => boolean): Pid | undefined {
    let localId = this.nextLocalId;
    const blockSize = this.lastLocalId - this.firstLocalId + 1;
    for (let probes = 0; probes < blockSize; probes++) {
      const pid = makePid(this.homeNode, localId);
      localId = localId === this.lastLocalId ? this.firstLocalId : localId + 1;
      if (!isInUse(pid)) {
        this.nextLocalId = localId;
        return pid;
      }
    }
    return undefined;
  }

  getState(): LocalPidAllocatorState {
    return { homeNode: this.homeNode, nextLocalId: this.nextLocalId };
  }

  setState(state: LocalPidAllocatorState): void {
    if (state.homeNode !== this.homeNode) {
      throw new RangeError(
        `pid allocator state: homeNode is ${state.homeNode}, this node is ${this.homeNode}`,
      );
    }
    if (
      !Number.isInteger(state.nextLocalId) ||
      state.nextLocalId < this.firstLocalId ||
      state.nextLocalId > this.lastLocalId
    ) {
      throw new RangeError(
        `pid allocator state: nextLocalId must be ${this.firstLocalId}..${this.lastLocalId}, got ${state.nextLocalId}`,
      );
    }
    this.nextLocalId = state.nextLocalId;
  }
}

// Global process identifiers. A PID is the home node (where the process was born) in the high
// 12 bits and that node's local counter in the low 20 bits (DESIGN.md §4); it never changes
// when the process migrates, so the home node can always be read off it. Local counter 0 is
// never used: PID 0 means "none" or, as a filter, "any". This file models the numbering only;
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

export interface LocalPidAllocatorState {
  homeNode: number;
  nextLocalId: number;
}

/**
 * Hands out the PIDs of processes born on one node: the counter counts up from 1, wraps back
 * to 1 after pidLocalMax, and skips every PID the caller still reports in use.
 */
export class LocalPidAllocator {
  private nextLocalId = 1;

  constructor(readonly homeNode: number) {
    makePid(homeNode, 1);
  }

  /**
   * The next PID for which `isInUse` is false, or undefined when all 2^20 - 1 are in use
   * (the caller answers -EAGAIN). Probes at most pidLocalMax candidates.
   */
  allocate(isInUse: (pid: Pid) => boolean): Pid | undefined {
    let localId = this.nextLocalId;
    for (let probes = 0; probes < pidLocalMax; probes++) {
      const pid = makePid(this.homeNode, localId);
      localId = localId === pidLocalMax ? 1 : localId + 1;
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
      state.nextLocalId < 1 ||
      state.nextLocalId > pidLocalMax
    ) {
      throw new RangeError(
        `pid allocator state: nextLocalId must be 1..${pidLocalMax}, got ${state.nextLocalId}`,
      );
    }
    this.nextLocalId = state.nextLocalId;
  }
}

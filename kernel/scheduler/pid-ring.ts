// A bounded FIFO of PIDs in a typed array ring: one ready queue of one priority level.
// Push and shift are O(1) and allocate nothing; removing from the middle (kill, migration)
// shifts the entries behind it, bounded by the capacity.

import type { Pid } from "../process/pid.ts";

export class PidRing {
  private readonly pids: Int32Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    }
    this.pids = new Int32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Appends at the tail; throws when full (the caller bounds what it queues). */
  push(pid: Pid): void {
    if (this.count === this.capacity) throw new RangeError(`ready queue full (${this.capacity})`);
    this.pids[(this.head + this.count) % this.capacity] = pid;
    this.count++;
  }

  /** The PID at the head, or 0 when empty. */
  peek(): Pid {
    return this.count === 0 ? 0 : this.pids[this.head]!;
  }

  /** Removes and returns the head, or 0 when empty. */
  shift(): Pid {
    if (this.count === 0) return 0;
    const pid = this.pids[this.head]!;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return pid;
  }

  /** Removes `pid` wherever it is, keeping the others' order; false when absent. */
  remove(pid: Pid): boolean {
    for (let offset = 0; offset < this.count; offset++) {
      if (this.pids[(this.head + offset) % this.capacity] !== pid) continue;
      for (let later = offset + 1; later < this.count; later++) {
        this.pids[(this.head + later - 1) % this.capacity] =
          this.pids[(this.head + later) % this.capacity]!;
      }
      this.count--;
      return true;
    }
    return false;
  }

  /** The PIDs head first (for tests, traces and state; allocates). */
  toArray(): Pid[] {
    const pids: Pid[] = [];
    for (let offset = 0; offset < this.count; offset++) {
      pids.push(this.pids[(this.head + offset) % this.capacity]!);
    }
    return pids;
  }
}

// The node's process table: every PCB on this node, live or zombie, by PID, bounded by
// processesPerNodeMax (a configurable maximum for tests). Iteration is in PID creation order
// (a Map keeps insertion order), so every scan the kernel makes is deterministic.

import { processesPerNodeMax } from "../limits.ts";
import type { Pid } from "./pid.ts";
import type { Process } from "./process.ts";

export class ProcessTable {
  private readonly byPid = new Map<Pid, Process>();

  constructor(readonly capacity = processesPerNodeMax) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`process table capacity must be a positive integer, got ${capacity}`);
    }
  }

  get isFull(): boolean {
    return this.byPid.size >= this.capacity;
  }

  /** PCBs held, live or zombie. */
  get size(): number {
    return this.byPid.size;
  }

  /** Whether the PID is taken (alive or a zombie): the PID allocator skips it. */
  has(pid: Pid): boolean {
    return this.byPid.has(pid);
  }

  get(pid: Pid): Process | undefined {
    return this.byPid.get(pid);
  }

  /** The live process with this PID (not a zombie), if any. */
  live(pid: Pid): Process | undefined {
    const process = this.byPid.get(pid);
    return process?.isAlive ? process : undefined;
  }

  add(process: Process): void {
    if (this.isFull) throw new RangeError(`process table full (${this.capacity})`);
    if (this.byPid.has(process.pid)) throw new Error(`kernel bug: pid ${process.pid} reused`);
    this.byPid.set(process.pid, process);
  }

  remove(pid: Pid): void {
    this.byPid.delete(pid);
  }

  all(): IterableIterator<Process> {
    return this.byPid.values();
  }

  childrenOf(parentPid: Pid): Process[] {
    const children: Process[] = [];
    for (const process of this.byPid.values()) {
      if (process.parentPid === parentPid) children.push(process);
    }
    return children;
  }
}

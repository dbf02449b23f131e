// The node's process table: every PCB on this node, live or zombie, by PID, bounded by
// processesPerNodeMax (a configurable maximum for tests). Iteration is in PID creation order
// (a Map keeps insertion order), so every scan the kernel makes is deterministic. A slot can
// also be held without a PCB in it: for a process migrating here, from its accept to its
// install, and for one migrating away, while its state travels and it may still come back.
// Held slots count as taken, so neither a spawn nor another arrival can take them.

import { processesPerNodeMax } from "../limits.ts";
import type { Pid } from "./pid.ts";
import type { Process } from "./process.ts";

export class ProcessTable {
  private readonly byPid = new Map<Pid, Process>();
  private heldSlots = 0;

  constructor(readonly capacity = processesPerNodeMax) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`process table capacity must be a positive integer, got ${capacity}`);
    }
  }

  get isFull(): boolean {
    return this.byPid.size + this.heldSlots >= this.capacity;
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

  /** Adds a PCB, into a slot held for it (holdSlot, detach) when `intoHeldSlot`. */
  add(process: Process, intoHeldSlot = false): void {
    if (intoHeldSlot) this.releaseSlot();
    else if (this.isFull) throw new RangeError(`process table full (${this.capacity})`);
    if (this.byPid.has(process.pid)) throw new Error(`kernel bug: pid ${process.pid} reused`);
    this.byPid.set(process.pid, process);
  }

  remove(pid: Pid): void {
    this.byPid.delete(pid);
  }

  /** Holds a slot for a PCB to come; false when the table is full. */
  holdSlot(): boolean {
    if (this.isFull) return false;
    this.heldSlots++;
    return true;
  }

  releaseSlot(): void {
    if (this.heldSlots === 0) throw new Error("kernel bug: releasing a slot nobody holds");
    this.heldSlots--;
  }

  /** Takes the PCB out and keeps its slot held (add(process, true) puts it back). */
  detach(pid: Pid): void {
    if (!this.byPid.delete(pid)) throw new Error(`kernel bug: detaching pid ${pid}, not here`);
    this.heldSlots++;
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

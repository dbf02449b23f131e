// Which nodes wait to hear that a process has ended, so that a receive waiting for a message
// from one process alone answers -ESRCH when that process ends on another node, as it does
// when the sender ends on the receiver's node (docs/kernel.md §5). Two sides, both bounded:
// the receiver's node remembers which pids it has asked their home about (an EndWatch sent, no
// ProcessEnded come yet), and a home remembers, per process of its own, the nodes that asked
// (told with ProcessEnded when the process ends, here or wherever it moved). Bookkeeping only:
// NodeNetwork sends and handles the messages. Left out: a watch past a bound (the receive then
// waits as it did before: for a message, its timeout, or the failure of the node it lives on).

import type { Pid } from "../process/pid.ts";

/** Pids one node has asked their homes about and not yet heard have ended, at most. */
export const endWatchesAskedMax = 4096;
/** (process, node) pairs one home keeps to tell of an end, at most. */
export const endWatchersMax = 4096;

export class EndWatches {
  /** Pid asked about -> the node asked (its home, or where a search found it). */
  private readonly asked = new Map<Pid, number>();
  private readonly watchersByPid = new Map<Pid, Set<number>>();
  private watcherCount = 0;

  /**
   * The receiver's side: whether to ask `node` (the home of `pid`, or where a search found it)
   * now (not asked yet, and room to remember it); the ask is noted.
   */
  shouldAsk(pid: Pid, node: number): boolean {
    if (this.asked.has(pid) || this.asked.size >= endWatchesAskedMax) return false;
    this.asked.set(pid, node);
    return true;
  }

  /** The receiver's side: the nodes asked and not yet answered (watched for a failure). */
  askedNodes(): IterableIterator<number> {
    return this.asked.values();
  }

  /** The receiver's side: the home said `pid` ended; a later receive for it asks again. */
  answered(pid: Pid): void {
    this.asked.delete(pid);
  }

  /** The home's side: `node` wants to hear of `pid`'s end. False when the bound refuses it. */
  addWatcher(pid: Pid, node: number): boolean {
    const nodes = this.watchersByPid.get(pid);
    if (nodes?.has(node)) return true;
    if (this.watcherCount >= endWatchersMax) return false;
    if (nodes) nodes.add(node);
    else this.watchersByPid.set(pid, new Set([node]));
    this.watcherCount++;
    return true;
  }

  /** The home's side: `pid` ended; the nodes to tell, in increasing order (forgotten here). */
  takeWatchers(pid: Pid): number[] {
    const nodes = this.watchersByPid.get(pid);
    if (!nodes) return [];
    this.watchersByPid.delete(pid);
    this.watcherCount -= nodes.size;
    return [...nodes].sort((a, b) => a - b);
  }
}

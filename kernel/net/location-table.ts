// Where a node believes processes that are not here live (docs/migration.md, "Locations").
// The home node's entries are the truth for the processes born there that migrated away (it
// learns every move by a LinkUpdate before the move completes, and every end elsewhere);
// other nodes' entries are hints from link updates, kept to spare a hop through the home.
// Hints are bounded: past hintsMax the oldest hint goes (the home still knows).
// Notices of a location are versioned by the process's move count (locationVersion*): notices
// from different nodes travel on different pairs and may cross, so one older than what an entry
// holds is ignored (learn).

import { type Pid, pidHomeNode } from "../process/pid.ts";

/** Hints about processes born elsewhere, at most. */
export const locationHintsMax = 4096;

/** The version of "move `move` of the process took it to its destination" (move counts from 1). */
export function locationVersionMoved(move: number): number {
  return 2 * move;
}

/** The version of "move `move` failed: the process is at its source" (resumed, or lost there). */
export function locationVersionBack(move: number): number {
  return 2 * move + 1;
}

/** The version of "the process has ended": newer than any move. */
export const locationVersionEnded = 0xffff_ffff;

export class LocationTable {
  private readonly nodeByPid = new Map<Pid, number>();
  /** The version of the notice each entry came from, when it came from one. */
  private readonly versionByPid = new Map<Pid, number>();
  private hintCount = 0;

  constructor(private readonly ownNode: number) {}

  get(pid: Pid): number | undefined {
    return this.nodeByPid.get(pid);
  }

  /** The version of the notice `pid`'s entry came from; 0 when none (a hint from an answer). */
  versionOf(pid: Pid): number {
    return this.versionByPid.get(pid) ?? 0;
  }

  has(pid: Pid): boolean {
    return this.nodeByPid.has(pid);
  }

  set(pid: Pid, node: number): void {
    if (node === this.ownNode) {
      this.delete(pid);
      return;
    }
    // Re-inserting keeps the Map's order the order of last news, oldest first.
    if (this.nodeByPid.has(pid)) {
      this.nodeByPid.delete(pid);
    } else if (pidHomeNode(pid) !== this.ownNode) {
      if (this.hintCount >= locationHintsMax) this.dropOldestHint();
      this.hintCount++;
    }
    this.nodeByPid.set(pid, node);
  }

  /**
   * A notice, version `version`, that `pid` is at `node`: noted unless the entry came from a
   * newer one (then false: the notice is stale).
   */
  learn(pid: Pid, node: number, version: number): boolean {
    const known = this.versionByPid.get(pid);
    if (known !== undefined && version < known) return false;
    this.set(pid, node);
    if (this.nodeByPid.has(pid)) this.versionByPid.set(pid, version);
    return true;
  }

  delete(pid: Pid): void {
    this.versionByPid.delete(pid);
    if (this.nodeByPid.delete(pid) && pidHomeNode(pid) !== this.ownNode) this.hintCount--;
  }

  /**
   * Drops the hints that processes born elsewhere live on `node` (it failed: their homes know
   * better). The entries of this node's own processes stay: they are the truth, and keep the
   * PIDs of processes lost there from being issued again.
   */
  forgetHintsAt(node: number): void {
    for (const [pid, at] of [...this.nodeByPid]) {
      if (at === node && pidHomeNode(pid) !== this.ownNode) this.delete(pid);
    }
  }

  private dropOldestHint(): void {
    for (const pid of this.nodeByPid.keys()) {
      if (pidHomeNode(pid) !== this.ownNode) {
        this.delete(pid);
        return;
      }
    }
  }
}

// Where a node believes processes that are not here live (docs/migration.md, "Locations").
// The home node's entries are the truth for the processes born there that migrated away (it
// learns every move by a LinkUpdate before the move completes, and every end elsewhere);
// other nodes' entries are hints from link updates, kept to spare a hop through the home.
// Hints are bounded: past hintsMax the oldest hint goes (the home still knows).

import { type Pid, pidHomeNode } from "../process/pid.ts";

/** Hints about processes born elsewhere, at most. */
export const locationHintsMax = 4096;

export class LocationTable {
  private readonly nodeByPid = new Map<Pid, number>();
  private hintCount = 0;

  constructor(private readonly ownNode: number) {}

  get(pid: Pid): number | undefined {
    return this.nodeByPid.get(pid);
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

  delete(pid: Pid): void {
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

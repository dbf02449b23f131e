// A ring of the most recently started instructions, for `sterna exec --last N`. The run
// loop records one entry per compiled block (its entry eip and how many of its
// instructions started) or per interpreted instruction, so the cost is a few stores per
// block. `list` expands blocks back into instruction eips.

import type { BlockInfo } from "./block-cache.ts";

export const recentEntriesMax = 1024;
const entryMask = recentEntriesMax - 1;

export class RecentEips {
  private readonly eips = new Int32Array(recentEntriesMax);
  private readonly started = new Uint8Array(recentEntriesMax);
  private readonly blocks: (BlockInfo | undefined)[] = new Array(recentEntriesMax).fill(undefined);
  /** Entries recorded so far (the ring holds the last recentEntriesMax). */
  count = 0;

  /** Records a block entered at eip (undefined: a single interpreted instruction). */
  record(eip: number, block: BlockInfo | undefined, started: number): void {
    const index = this.count++ & entryMask;
    this.eips[index] = eip;
    this.blocks[index] = block;
    this.started[index] = started;
  }

  /** Corrects how many instructions of the latest entry started (a fault or early exit). */
  setLatestStarted(started: number): void {
    this.started[(this.count - 1) & entryMask] = started;
  }

  /** The eips of the last `wanted` instructions started, oldest first. */
  list(wanted: number): number[] {
    const eips: number[] = [];
    const oldest = Math.max(0, this.count - recentEntriesMax);
    for (let entry = this.count - 1; entry >= oldest && eips.length < wanted; entry--) {
      const index = entry & entryMask;
      const block = this.blocks[index];
      const base = this.eips[index]!;
      for (let i = this.started[index]! - 1; i >= 0 && eips.length < wanted; i--) {
        eips.push((block === undefined ? base : base + block.offsets[i]!) >>> 0);
      }
    }
    return eips.reverse();
  }

  reset(): void {
    this.count = 0;
    this.blocks.fill(undefined);
  }
}

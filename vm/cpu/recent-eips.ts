// A ring of the most recently started instructions, for `sterna exec --last N`. The run
// loop writes straight into the typed arrays here: per compiled block run its entry eip,
// block id, and how far it got (the passes of its loop it went back for, and the
// instructions of the block reached), per interpreted instruction its eip and id 0. `list` expands block runs back into
// instruction eips with the block table of their generation (blocks are renumbered when
// the table is cleared).

import type { BlockInfo } from "./block-cache.ts";

export const recentEntriesMax = 1024;
export const recentEntryMask = recentEntriesMax - 1;
/**
 * A block run's `started` is passes * recentPassUnit + 1 + the number in its block (BlockInfo)
 * of the last instruction it started (above any block's instruction count).
 */
export const recentPassUnit = 256;

interface Generation {
  /** The first entry number recorded with this block table. */
  fromEntry: number;
  infos: readonly BlockInfo[];
}

export class RecentEips {
  readonly eips = new Int32Array(recentEntriesMax);
  /** Block id; 0 for one interpreted instruction. */
  readonly ids = new Int32Array(recentEntriesMax);
  /**
   * For a block run: passes * recentPassUnit + 1 + the number of the last instruction it
   * started, a faulting one included (float: a loop may run long).
   */
  readonly started = new Float64Array(recentEntriesMax);
  /** Entries recorded so far (the ring keeps the last recentEntriesMax). */
  count = 0;
  private generations: Generation[] = [];

  /** The block table changes (cleared): entries from now on use `infos`. */
  startGeneration(infos: readonly BlockInfo[]): void {
    const oldest = this.count - recentEntriesMax;
    this.generations = this.generations.filter(
      (_, i, all) => i === all.length - 1 || all[i + 1]!.fromEntry > oldest,
    );
    this.generations.push({ fromEntry: this.count, infos });
  }

  /** The eips of the last `wanted` instructions started, oldest first. */
  list(wanted: number): number[] {
    const eips: number[] = [];
    const oldest = Math.max(0, this.count - recentEntriesMax);
    for (let entry = this.count - 1; entry >= oldest && eips.length < wanted; entry--) {
      const index = entry & recentEntryMask;
      const base = this.eips[index]!;
      const id = this.ids[index]!;
      if (id === 0) {
        eips.push(base >>> 0);
        continue;
      }
      const info = this.generationOf(entry)?.infos[id];
      if (info === undefined) continue;
      // The block from its entry, with its loop's passes: the first one up to loopEnd, the
      // later ones from loopHead; the last pass may stop part-way or go on after the loop.
      const offsets = info.offsets;
      const value = this.started[index]!;
      // The last instruction started may be on a side path: its instructions, newest first,
      // back to the branch of the main path it leaves from (a main-path instruction's number
      // is its depth).
      let last = (value % recentPassUnit) - 1;
      while (last >= 0 && info.depths[last] !== last && eips.length < wanted) {
        eips.push((base + offsets[last]!) >>> 0);
        last = info.parents[last]!;
      }
      if (eips.length >= wanted) break;
      const reached = last + 1;
      const passes = info.loopHead < 0 ? 0 : (value - (value % recentPassUnit)) / recentPassUnit;
      // Segments [from, to) in run order, the middle one repeated.
      let segments: [number, number, number][];
      if (passes === 0) {
        segments = [[0, reached, 1]];
      } else if (reached <= info.loopEnd + 1) {
        segments = [
          [0, info.loopEnd + 1, 1],
          [info.loopHead, info.loopEnd + 1, passes - 1],
          [info.loopHead, reached, 1],
        ];
      } else {
        segments = [
          [0, info.loopEnd + 1, 1],
          [info.loopHead, info.loopEnd + 1, passes],
          [info.loopEnd + 1, reached, 1],
        ];
      }
      for (let s = segments.length - 1; s >= 0 && eips.length < wanted; s--) {
        const [from, to, times] = segments[s]!;
        for (let pass = 0; pass < times && eips.length < wanted; pass++) {
          for (let i = to - 1; i >= from && eips.length < wanted; i--) {
            eips.push((base + offsets[i]!) >>> 0);
          }
        }
      }
    }
    return eips.reverse();
  }

  private generationOf(entry: number): Generation | undefined {
    for (let i = this.generations.length - 1; i >= 0; i--) {
      if (this.generations[i]!.fromEntry <= entry) return this.generations[i];
    }
    return undefined;
  }
}

// A ring of the most recently started instructions, for `sterna exec --last N`. The run
// loop writes straight into the typed arrays here: per compiled block run its entry eip,
// block id and the instructions it started (passes of a looping block included), per
// interpreted instruction its eip and id 0. `list` expands block runs back into
// instruction eips with the block table of their generation (blocks are renumbered when
// the table is cleared).

import type { BlockInfo } from "./block-cache.ts";

export const recentEntriesMax = 1024;
export const recentEntryMask = recentEntriesMax - 1;

interface Generation {
  /** The first entry number recorded with this block table. */
  fromEntry: number;
  infos: readonly BlockInfo[];
}

export class RecentEips {
  readonly eips = new Int32Array(recentEntriesMax);
  /** Block id; 0 for one interpreted instruction. */
  readonly ids = new Int32Array(recentEntriesMax);
  /** For a block run: instructions started, the faulting one included (float: a loop may run long). */
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
      // The first pass runs every instruction, later ones those from the loop head on; the
      // last pass (first or later) may stop part-way.
      const offsets = info.offsets;
      const count = offsets.length;
      const started = this.started[index]!;
      const head = Math.max(info.loopHead, 0);
      const passLength = count - head;
      const laterPasses = started <= count ? 0 : Math.ceil((started - count) / passLength);
      const inLast = started <= count ? started : started - count - (laterPasses - 1) * passLength;
      const lastFrom = laterPasses === 0 ? 0 : head;
      for (let i = lastFrom + inLast - 1; i >= lastFrom && eips.length < wanted; i--) {
        eips.push((base + offsets[i]!) >>> 0);
      }
      for (let pass = laterPasses - 1; pass >= 0 && eips.length < wanted; pass--) {
        const from = pass === 0 ? 0 : head;
        for (let i = count - 1; i >= from && eips.length < wanted; i--) {
          eips.push((base + offsets[i]!) >>> 0);
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

// The decoded-instruction cache: per physical page, a table from byte offset to a decoded
// slot. A page with cached code is "watched" in PhysicalMemory, and the TLB holds no write
// entry for it, so every write to it goes through a slow path that clears its table (the
// instructions are decoded again from the new bytes on their next execution). Slots are
// handed out in order; when they run out the whole cache is dropped and refilled.
// Instructions that cross a page boundary are never cached.

import type { PhysicalMemory } from "../memory/physical-memory.ts";
import { pageShift } from "../memory/physical-memory.ts";
import type { Tlb } from "../mmu/tlb.ts";
import { DecodedInstructions, SLOT_FIRST_CACHED } from "./decoded-instructions.ts";

export const decodedSlotsMax = 1 << 16;

export class DecodeCache {
  readonly store = new DecodedInstructions(decodedSlotsMax);
  private nextSlot = SLOT_FIRST_CACHED;
  private readonly tables: (Int32Array | undefined)[];
  private readonly pagesWithTables: number[] = [];

  constructor(
    private readonly memory: PhysicalMemory,
    private readonly tlb: Tlb,
  ) {
    this.tables = new Array(memory.sizeBytes >>> pageShift).fill(undefined);
  }

  /** Forgets the instructions decoded from a page (it was written). */
  invalidatePage(page: number): void {
    this.tables[page]?.fill(0);
  }

  /** The offset -> slot table of a physical page (created empty on first use). */
  tableFor(page: number): Int32Array {
    let table = this.tables[page];
    if (table === undefined) {
      table = new Int32Array(1 << pageShift);
      this.tables[page] = table;
      this.pagesWithTables.push(page);
    }
    return table;
  }

  /** A free slot to decode into, or -1 when the cache is full (call flush first). */
  peekSlot(): number {
    return this.nextSlot < decodedSlotsMax ? this.nextSlot : -1;
  }

  /** Records the instruction decoded into the peeked slot at `offset` of `page`. */
  commit(page: number, offset: number): number {
    const slot = this.nextSlot++;
    this.tables[page]![offset] = slot;
    if (this.memory.watchedPages[page] === 0) {
      this.memory.watchedPages[page] = 1;
      this.tlb.dropWritesTo(page << pageShift);
    }
    return slot;
  }

  /** Drops every decoded instruction. */
  flush(): void {
    for (const page of this.pagesWithTables) {
      this.tables[page] = undefined;
      this.memory.watchedPages[page] = 0;
    }
    this.pagesWithTables.length = 0;
    this.nextSlot = SLOT_FIRST_CACHED;
  }
}

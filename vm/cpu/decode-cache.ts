// The decoded-instruction cache: per physical page, a table from byte offset to a decoded
// slot. A page with cached code is "watched" in PhysicalMemory, and the TLB holds no write
// entry for it, so every write to it goes through a slow path that clears its table (the
// instructions are decoded again from the new bytes on their next execution). Slots are
// handed out in order; when they run out the whole cache is dropped and refilled.
// Instructions that cross a page boundary are never cached. The tables hang off a two-level
// directory (one chunk per 4 MiB of physical memory, made on first use) so that a node's
// bookkeeping grows with the pages it runs code from, not with its memory size: a flat
// per-page array cost 4 MiB of host heap on a 2 GiB node before it ran anything.

import type { PhysicalMemory } from "../memory/physical-memory.ts";
import { pageShift } from "../memory/physical-memory.ts";
import type { Tlb } from "../mmu/tlb.ts";
import { DecodedInstructions, SLOT_FIRST_CACHED } from "./decoded-instructions.ts";

export const decodedSlotsMax = 1 << 16;

const chunkShift = 10;
const chunkPages = 1 << chunkShift;
const chunkPageMask = chunkPages - 1;

type TableChunk = (Int32Array | undefined)[];

export class DecodeCache {
  readonly store = new DecodedInstructions(decodedSlotsMax);
  private nextSlot = SLOT_FIRST_CACHED;
  /** Chunk c holds the tables of pages c * chunkPages .. (c + 1) * chunkPages - 1. */
  private readonly chunks: (TableChunk | undefined)[];
  private readonly pagesWithTables: number[] = [];

  constructor(
    private readonly memory: PhysicalMemory,
    private readonly tlb: Tlb,
  ) {
    const pageCount = memory.sizeBytes >>> pageShift;
    this.chunks = new Array((pageCount + chunkPageMask) >>> chunkShift).fill(undefined);
  }

  /** Forgets the instructions decoded from a page (it was written). */
  invalidatePage(page: number): void {
    this.chunks[page >>> chunkShift]?.[page & chunkPageMask]?.fill(0);
  }

  /** The offset -> slot table of a physical page (created empty on first use). */
  tableFor(page: number): Int32Array {
    let chunk = this.chunks[page >>> chunkShift];
    if (chunk === undefined) {
      chunk = new Array(chunkPages).fill(undefined);
      this.chunks[page >>> chunkShift] = chunk;
    }
    let table = chunk[page & chunkPageMask];
    if (table === undefined) {
      table = new Int32Array(1 << pageShift);
      chunk[page & chunkPageMask] = table;
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
    this.chunks[page >>> chunkShift]![page & chunkPageMask]![offset] = slot;
    if (this.memory.watchedPages[page] === 0) {
      this.memory.watchedPages[page] = 1;
      this.tlb.dropWritesTo(page << pageShift);
    }
    return slot;
  }

  /** Drops every decoded instruction. */
  flush(): void {
    for (const page of this.pagesWithTables) {
      this.chunks[page >>> chunkShift]![page & chunkPageMask] = undefined;
      this.memory.watchedPages[page] = 0;
    }
    this.pagesWithTables.length = 0;
    this.nextSlot = SLOT_FIRST_CACHED;
  }
}

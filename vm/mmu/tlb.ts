// The translation lookaside buffer: a direct-mapped cache of linear page -> physical page,
// on typed arrays so the CPU's load/store fast path is two array reads and a compare.
// An entry is usable for reads (and fetches) when readTag holds the linear page number and
// for writes when writeTag does; a write entry exists only once the MMU has set D and the
// frame is not watched by a cache. Left out: global pages, associativity, ASIDs.

export const tlbEntryCount = 4096;
export const tlbIndexMask = tlbEntryCount - 1;

export class Tlb {
  /** Linear page number cached in each entry for reads, or -1. */
  readonly readTag = new Int32Array(tlbEntryCount).fill(-1);
  /** Linear page number cached in each entry for writes, or -1. */
  readonly writeTag = new Int32Array(tlbEntryCount).fill(-1);
  /** Physical address of the page's frame. */
  readonly frameAddress = new Int32Array(tlbEntryCount);

  flush(): void {
    this.readTag.fill(-1);
    this.writeTag.fill(-1);
  }

  invalidate(linearPage: number): void {
    const index = linearPage & tlbIndexMask;
    if (this.readTag[index] === linearPage) this.readTag[index] = -1;
    if (this.writeTag[index] === linearPage) this.writeTag[index] = -1;
  }

  insert(linearPage: number, frameAddress: number, writable: boolean): void {
    const index = linearPage & tlbIndexMask;
    this.readTag[index] = linearPage;
    this.writeTag[index] = writable ? linearPage : -1;
    this.frameAddress[index] = frameAddress;
  }

  /** Removes write permission from every entry mapping this frame (it became watched). */
  dropWritesTo(frameAddress: number): void {
    for (let index = 0; index < tlbEntryCount; index++) {
      if (this.frameAddress[index] === frameAddress) this.writeTag[index] = -1;
    }
  }
}

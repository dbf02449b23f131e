// Hands out 4 KiB physical frames of guest memory to page directories, page tables and user
// pages. Lowest free frame first, so runs are reproducible. Frame 0 is kept back so that
// physical address 0 never names a live page (a zeroed PDE or PTE then points nowhere valid).
// Frames can be held back for a promise (the pages a copy-on-reference process has yet to
// fetch): they count as taken for everyone until released.

import { pageSizeBytes } from "./user-layout.ts";

export class FrameAllocator {
  private readonly freeFrames: Int32Array;
  private freeCount: number;
  private readonly inUse: Uint8Array;
  private heldCount = 0;

  constructor(
    memoryBytes: number,
    private readonly reservedFrames = 1,
  ) {
    const frameCount = Math.floor(memoryBytes / pageSizeBytes);
    this.freeFrames = new Int32Array(frameCount);
    this.inUse = new Uint8Array(frameCount);
    this.freeCount = 0;
    for (let frame = frameCount - 1; frame >= reservedFrames; frame--) {
      this.freeFrames[this.freeCount++] = frame;
    }
  }

  /** Frames free and not held back. */
  get freeFrameCount(): number {
    return this.freeCount - this.heldCount;
  }

  /** Holds back up to `count` free frames; returns how many it held. */
  hold(count: number): number {
    const held = Math.max(0, Math.min(count, this.freeFrameCount));
    this.heldCount += held;
    return held;
  }

  /** Gives back `count` frames held by hold. */
  release(count: number): void {
    this.heldCount -= Math.min(count, this.heldCount);
  }

  /** Returns the physical address of a free frame (contents undefined), or -1 if none is left. */
  allocate(): number {
    if (this.freeFrameCount <= 0) return -1;
    const frame = this.freeFrames[--this.freeCount]!;
    this.inUse[frame] = 1;
    return frame * pageSizeBytes;
  }

  free(physicalAddress: number): void {
    const frame = physicalAddress / pageSizeBytes;
    const allocated =
      Number.isInteger(frame) && frame >= this.reservedFrames && this.inUse[frame] === 1;
    if (!allocated) {
      throw new Error(`kernel bug: freeing frame at ${physicalAddress}, which is not allocated`);
    }
    this.inUse[frame] = 0;
    this.freeFrames[this.freeCount++] = frame;
  }
}

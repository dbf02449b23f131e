// Hands out 4 KiB physical frames of guest memory to page directories, page tables and user
// pages, in an order that depends on nothing but the calls, so runs are reproducible: the
// frame freed last first, else the lowest frame never handed out. The frames never handed out
// are a counter, not a list, so a machine's 16384 frames cost nothing to set up. Frame 0 is kept back so that
// physical address 0 never names a live page (a zeroed PDE or PTE then points nowhere valid).
// Frames can be held back for a promise (the pages a copy-on-reference process has yet to
// fetch): they count as taken for everyone until released.

import { pageSizeBytes } from "./user-layout.ts";

export class FrameAllocator {
  private readonly frameCount: number;
  /** Frames given back by free, the last one on top. */
  private readonly freedFrames: Int32Array;
  private freedCount = 0;
  /** This frame and all above it have never been handed out. */
  private firstFreshFrame: number;
  private readonly inUse: Uint8Array;
  private heldCount = 0;

  constructor(
    memoryBytes: number,
    private readonly reservedFrames = 1,
  ) {
    this.frameCount = Math.floor(memoryBytes / pageSizeBytes);
    this.freedFrames = new Int32Array(this.frameCount);
    this.inUse = new Uint8Array(this.frameCount);
    this.firstFreshFrame = Math.min(reservedFrames, this.frameCount);
  }

  /** Frames free and not held back. */
  get freeFrameCount(): number {
    return this.freedCount + (this.frameCount - this.firstFreshFrame) - this.heldCount;
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
    const frame =
      this.freedCount > 0 ? this.freedFrames[--this.freedCount]! : this.firstFreshFrame++;
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
    this.freedFrames[this.freedCount++] = frame;
  }
}

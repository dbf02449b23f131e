// The running process's time slice, counted in machine cycles (guest instructions and the
// kernel work charged to it). The kernel charges cycles as they pass, checks `expired` at each
// timer tick, and may use `remainingCycles` as the machine's run budget so a slice ends on time.

/** 10 ms at the default 100 MHz clock. */
export const timeSliceCyclesDefault = 1_000_000;

export class TimeSlice {
  private usedCyclesCount = 0;

  constructor(readonly lengthCycles = timeSliceCyclesDefault) {
    if (!Number.isInteger(lengthCycles) || lengthCycles < 1) {
      throw new RangeError(`time slice must be a positive number of cycles, got ${lengthCycles}`);
    }
  }

  /** A fresh slice, for the process just picked. */
  start(): void {
    this.usedCyclesCount = 0;
  }

  charge(cycles: number): void {
    if (!(cycles >= 0)) throw new RangeError(`cannot charge ${cycles} cycles`);
    this.usedCyclesCount += cycles;
  }

  get usedCycles(): number {
    return this.usedCyclesCount;
  }

  get remainingCycles(): number {
    return Math.max(0, this.lengthCycles - this.usedCyclesCount);
  }

  get expired(): boolean {
    return this.usedCyclesCount >= this.lengthCycles;
  }
}

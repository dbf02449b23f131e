// The node's load as the idle process sees it. At every timer tick the kernel records one
// sample: whether the idle process was running, the run-queue length and the process count.
// The sampler keeps the last `windowSamples` samples in typed-array rings with running sums,
// so recording is O(1) and allocates nothing; CPU load = busy samples / samples in the window.
// Ticks skipped while the machine idled ahead are recorded in one call, as idle samples.
// Averages are integers scaled by 1000 (permille, milli) and rounded half up, so every node
// computes bit-identical figures for the trace and for the load it tells other kernels.

import { loadWindowSamples } from "../limits.ts";

/** A plain record for nodeinfo, the trace and load exchange between kernels. */
export interface LoadSnapshot {
  /** Busy samples / samples in the window, in thousandths (0 with no samples yet). */
  loadPermille: number;
  /** At the latest sample. */
  runQueueLength: number;
  /** At the latest sample. */
  processCount: number;
  /** Mean over the window, in thousandths. */
  runQueueLengthAvgMilli: number;
  /** Mean over the window, in thousandths. */
  processCountAvgMilli: number;
  /** Samples in the window (windowSamples once it has filled). */
  samples: number;
}

/** round(numerator * 1000 / denominator), halves up, in integers. */
function thousandths(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.floor((numerator * 2000 + denominator) / (2 * denominator));
}

export class LoadSampler {
  private readonly busy: Uint8Array;
  private readonly runQueueLengths: Uint32Array;
  private readonly processCounts: Uint32Array;
  private next = 0;
  private count = 0;
  private busySum = 0;
  private runQueueLengthSum = 0;
  private processCountSum = 0;
  private latestRunQueueLength = 0;
  private latestProcessCount = 0;
  /** Samples recorded ever (the trace's sample counter). */
  totalSamples = 0;

  constructor(readonly windowSamples = loadWindowSamples) {
    if (!Number.isInteger(windowSamples) || windowSamples < 1) {
      throw new RangeError(
        `load window must be a positive number of samples, got ${windowSamples}`,
      );
    }
    this.busy = new Uint8Array(windowSamples);
    this.runQueueLengths = new Uint32Array(windowSamples);
    this.processCounts = new Uint32Array(windowSamples);
  }

  /**
   * One timer tick's sample; the oldest drops out once the window is full. `ticks` > 1
   * records the same sample for ticks the machine skipped over while idle: at most
   * windowSamples of them are written, since older ones would drop out again at once.
   */
  record(idleRunning: boolean, runQueueLength: number, processCount: number, ticks = 1): void {
    if (!Number.isInteger(ticks) || ticks < 1) {
      throw new RangeError(`a sample covers a whole number of ticks >= 1, got ${ticks}`);
    }
    const busy = idleRunning ? 0 : 1;
    const writes = Math.min(ticks, this.windowSamples);
    for (let write = 0; write < writes; write++) {
      if (this.count === this.windowSamples) {
        this.busySum -= this.busy[this.next]!;
        this.runQueueLengthSum -= this.runQueueLengths[this.next]!;
        this.processCountSum -= this.processCounts[this.next]!;
      } else {
        this.count++;
      }
      this.busy[this.next] = busy;
      this.runQueueLengths[this.next] = runQueueLength;
      this.processCounts[this.next] = processCount;
      // Sum the values as stored (32-bit), so dropping them later cancels them exactly.
      this.busySum += busy;
      this.runQueueLengthSum += this.runQueueLengths[this.next]!;
      this.processCountSum += this.processCounts[this.next]!;
      this.latestRunQueueLength = this.runQueueLengths[this.next]!;
      this.latestProcessCount = this.processCounts[this.next]!;
      this.next = this.next + 1 === this.windowSamples ? 0 : this.next + 1;
    }
    this.totalSamples += ticks;
  }

  get loadPermille(): number {
    return thousandths(this.busySum, this.count);
  }

  snapshot(): LoadSnapshot {
    return {
      loadPermille: this.loadPermille,
      runQueueLength: this.latestRunQueueLength,
      processCount: this.latestProcessCount,
      runQueueLengthAvgMilli: thousandths(this.runQueueLengthSum, this.count),
      processCountAvgMilli: thousandths(this.processCountSum, this.count),
      samples: this.count,
    };
  }
}

// Converts between a machine's cycles and virtual nanoseconds exactly. The products
// cycles * 1e9 and ns * clockHz pass 2^53 after about 90 ms at 100 MHz, where a double no
// longer holds them: computed that way, about 2 % of cycle counts came out a nanosecond
// early, and a node that sent a frame in the first cycle of a quantum stamped it before the
// quantum began (the medium refused it as late). So the ratio 1e9 / clockHz is reduced to
// whole numbers, `cyclesPerStep` cycles lasting exactly `nsPerStep` ns, and a count is split
// into whole steps and a remainder below one step, each product then staying under 2^53.

const nsPerSecond = 1e9;

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class ClockRatio {
  private readonly nsPerStep: number;
  private readonly cyclesPerStep: number;

  constructor(readonly clockHz: number) {
    if (!Number.isSafeInteger(clockHz) || clockHz <= 0) {
      throw new RangeError(`clockHz must be a positive whole number, got ${clockHz}`);
    }
    const divisor = greatestCommonDivisor(nsPerSecond, clockHz);
    this.nsPerStep = nsPerSecond / divisor;
    this.cyclesPerStep = clockHz / divisor;
    // A remainder times the other side of the ratio must stay exact.
    if (this.nsPerStep * this.cyclesPerStep > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(
        `clockHz ${clockHz} has no exact ratio to nanoseconds: use a whole number of kHz`,
      );
    }
  }

  /** The whole nanosecond at or before cycle `cycles` (a whole, non-negative count). */
  nsAtCycle(cycles: number): number {
    const steps = Math.floor(cycles / this.cyclesPerStep);
    const rest = cycles - steps * this.cyclesPerStep;
    return steps * this.nsPerStep + Math.floor((rest * this.nsPerStep) / this.cyclesPerStep);
  }

  /**
   * The first cycle at or after `ns`. Whole ns are converted exactly; a fraction (or
   * infinity) directly, as no fabric or kernel time is finer than a nanosecond.
   */
  cyclesAtNs(ns: number): number {
    if (!Number.isInteger(ns)) return Math.ceil((ns * this.clockHz) / nsPerSecond);
    const steps = Math.floor(ns / this.nsPerStep);
    const rest = ns - steps * this.nsPerStep;
    return steps * this.cyclesPerStep + Math.ceil((rest * this.cyclesPerStep) / this.nsPerStep);
  }
}

// Why `Cpu.run` returned. The CPU never halts by itself: hlt at CPL 3 is #GP.

export const enum StopReason {
  /** The cycle budget is spent. */
  Budget = 0,
  /** `int n` (or int3/into) executed: `trapVector` holds n, eip points after it. */
  Trap = 1,
  /** A fault: `exceptionVector`/`exceptionErrorCode` say which, eip points at the instruction. */
  Exception = 2,
}

// Why `Machine.run` returned. It extends the CPU's StopReason (same numbers for the shared
// cases) with Halt and Interrupt, which only the machine can report: a halt is requested
// from outside the guest, and only the machine sees devices.

export const enum MachineStop {
  /** The cycle budget is spent and no device is due. */
  Budget = 0,
  /** The guest executed `int n`; the vector is in `cpu.trapVector`, eip is after it. */
  Trap = 1,
  /** The guest faulted; see `cpu.exceptionVector`, `cpu.exceptionErrorCode`, `mmu.cr2`. */
  Exception = 2,
  /** Someone asked the machine to halt (`requestHalt`). */
  Halt = 3,
  /** A device raised an enabled IRQ line; see `pendingIrqMask()`. */
  Interrupt = 4,
}

// What kernel work costs in machine cycles, charged to the machine's clock so that virtual
// time (and later load and migration freeze times) includes the kernel, not only the guest.
// One place for every kernel timing constant, as Nachos keeps its in stats.h. The figures
// are rough orders of magnitude for a 100 MHz i386-class machine, not measurements.

export const kernelCosts = {
  /** Trap entry, register save, dispatch and return to user mode for any syscall. */
  syscallCycles: 200,
  /** Exception entry and the decision what to do with the fault. */
  faultCycles: 300,
  /** Interrupt entry, acknowledging the device and returning. */
  interruptCycles: 150,
  /** Allocating a frame, zeroing its 4096 bytes (about 4 bytes a cycle) and writing a PTE. */
  pageMapCycles: 1100,
  /** Clearing a PTE, invalidating the TLB entry and freeing the frame. */
  pageUnmapCycles: 100,
  /** Copying between user and kernel buffers, per byte (a 4-bytes-a-cycle memcpy). */
  copyCyclesPerByte: 0.25,
  /** Saving one process's registers and address space and loading another's. */
  contextSwitchCycles: 1000,
  /** Building a process control block and a fresh page directory. */
  processCreateCycles: 5000,
  /**
   * One load sample at a timer tick: note idle or busy, update three ring slots and their
   * running sums (about 30 instructions).
   */
  loadSampleCycles: 60,
  /** Building or handling one kernel-to-kernel message (encode, decode, dispatch). */
  remoteRequestCycles: 400,
} as const;

/** Cycles for copying `byteCount` bytes, rounded up to whole cycles. */
export function copyCycles(byteCount: number): number {
  return Math.ceil(byteCount * kernelCosts.copyCyclesPerByte);
}

// The CPU's architectural state as a plain serialisable object (snapshots, migration).
// Decoded-instruction caches and the TLB are not state: they are rebuilt on demand.

export interface CpuState {
  /** EAX ECX EDX EBX ESP EBP ESI EDI, unsigned 32-bit. */
  regs: number[];
  eip: number;
  eflags: number;
  cycles: number;
  instructions: number;
}

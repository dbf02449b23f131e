// Every timing constant of the CPU, in cycles of the node's clock: a simple in-order model
// loosely after the i486 (most register instructions 1 cycle, a memory operand adds one,
// a taken branch refills the pipeline). Virtual time is these counts, so changing them
// changes every trace; the host's speed never enters. A faulting instruction does not
// retire and costs nothing.

export const cpuCostCycles = {
  /** mov/alu/lea/inc/setcc/cmov... with register or immediate operands */
  simple: 1,
  /** added when the instruction reads or writes a memory operand */
  memoryOperand: 1,
  /** push/pop/leave: one stack access */
  stack: 1,
  /** call/ret/jmp (always taken) */
  controlTransfer: 3,
  /** a conditional branch or loop that is not taken */
  branchNotTaken: 1,
  /** added when a conditional branch or loop is taken */
  branchTakenExtra: 2,
  shift: 2,
  multiply: 4,
  divide: 24,
  bitScan: 4,
  /** pusha/popa/enter: several stack accesses */
  multiPush: 8,
  /** cmpxchg/xadd/xchg with their implied locking */
  exchange: 3,
  /** a string instruction, without a rep prefix or per rep iteration */
  stringElement: 2,
  /** int n / into: entering the kernel is charged by the kernel's own table */
  trap: 2,
  /** pushf/popf/lahf/sahf/flag set-clear */
  flags: 1,
  /** cpuid / rdtsc: serialising questions to the processor */
  processorQuery: 8,
} as const;

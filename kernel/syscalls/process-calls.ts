// Syscalls about the process itself: exit, getpid, sched_yield.

import type { SyscallHandler } from "./syscall-handler.ts";

/** exit(status): ends the process; a shell sees the low 8 bits of the status, as on Linux. */
export const exitCall: SyscallHandler = (kernel, process, status) => {
  kernel.exitProcess(process, status & 0xff);
  return 0;
};

export const getpidCall: SyscallHandler = (_kernel, process) => process.pid;

/** sched_yield(): with one process there is nobody to yield to; it returns at once. */
export const schedYieldCall: SyscallHandler = () => 0;

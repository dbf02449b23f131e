// Syscalls about the process itself: exit, getpid, sched_yield.

import type { SyscallHandler } from "./syscall-handler.ts";

/** exit(status): ends the process; a shell sees the low 8 bits of the status, as on Linux. */
export const exitCall: SyscallHandler = (kernel, process, status) => {
  kernel.exitProcess(process, status & 0xff);
  return 0;
};

export const getpidCall: SyscallHandler = (_kernel, process) => process.pid;

/** sched_yield(): back to the tail of its priority level; returns 0 when it next runs. */
export const schedYieldCall: SyscallHandler = (kernel) => {
  kernel.yieldCurrent();
  return 0;
};

// Syscall numbers of ABI v1 (DESIGN.md §4) implemented by this kernel; shared with Linux i386.

export const SyscallNumber = {
  exit: 1,
  read: 3,
  write: 4,
  getpid: 20,
  brk: 45,
  schedYield: 158,
} as const;

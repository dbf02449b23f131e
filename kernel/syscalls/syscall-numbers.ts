// Syscall numbers of ABI v1 (DESIGN.md §4): 1..158 shared with Linux i386, 1000.. sterna's own.

export const SyscallNumber = {
  exit: 1,
  read: 3,
  write: 4,
  getpid: 20,
  brk: 45,
  schedYield: 158,
  send: 1000,
  receive: 1001,
  spawn: 1002,
  wait: 1003,
  clock: 1004,
  sleep: 1005,
  nodeinfo: 1006,
  kill: 1007,
  handshake: 1008,
  migrateOut: 1009,
  migrateIn: 1010,
  cancelMigrate: 1011,
  loads: 1012,
} as const;

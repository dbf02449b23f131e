// Which handler serves which syscall number; unknown numbers get -ENOSYS, as on Linux.

import { Errno } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import type { Process } from "../process/process.ts";
import { readCall, writeCall } from "./io-calls.ts";
import { brkCall } from "./memory-calls.ts";
import { exitCall, getpidCall, schedYieldCall } from "./process-calls.ts";
import type { SyscallHandler } from "./syscall-handler.ts";
import { SyscallNumber } from "./syscall-numbers.ts";

const syscallHandlers = new Map<number, SyscallHandler>([
  [SyscallNumber.exit, exitCall],
  [SyscallNumber.read, readCall],
  [SyscallNumber.write, writeCall],
  [SyscallNumber.getpid, getpidCall],
  [SyscallNumber.brk, brkCall],
  [SyscallNumber.schedYield, schedYieldCall],
]);

const eax = 0;
const ecx = 1;
const edx = 2;
const ebx = 3;
const esi = 6;

/** Runs the syscall the process asked for with `int 0x80` and puts the result in eax. */
export function dispatchSyscall(kernel: Kernel, process: Process): void {
  const regs = kernel.machine.cpu.regs;
  const handler = syscallHandlers.get(regs[eax]!);
  const result = handler
    ? handler(
        kernel,
        process,
        regs[ebx]! >>> 0,
        regs[ecx]! >>> 0,
        regs[edx]! >>> 0,
        regs[esi]! >>> 0,
      )
    : -Errno.ENOSYS;
  if (process.isAlive) regs[eax] = result;
}

// Which handler serves which syscall number; unknown numbers get -ENOSYS, as on Linux.

import { Errno } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import type { Process } from "../process/process.ts";
import { Reg } from "../process/saved-context.ts";
import { killCall, waitCall } from "./family-calls.ts";
import { readCall, writeCall } from "./io-calls.ts";
import { receiveCall, sendCall } from "./ipc-calls.ts";
import { brkCall } from "./memory-calls.ts";
import {
  cancelMigrateCall,
  handshakeCall,
  migrateInCall,
  migrateOutCall,
} from "./migration-calls.ts";
import { loadsCall, nodeinfoCall } from "./node-calls.ts";
import { exitCall, getpidCall, schedYieldCall } from "./process-calls.ts";
import { spawnCall } from "./spawn-call.ts";
import { type SyscallHandler, syscallBlocked } from "./syscall-handler.ts";
import { SyscallNumber } from "./syscall-numbers.ts";
import { clockCall, sleepCall } from "./time-calls.ts";

const syscallHandlers = new Map<number, SyscallHandler>([
  [SyscallNumber.exit, exitCall],
  [SyscallNumber.read, readCall],
  [SyscallNumber.write, writeCall],
  [SyscallNumber.getpid, getpidCall],
  [SyscallNumber.brk, brkCall],
  [SyscallNumber.schedYield, schedYieldCall],
  [SyscallNumber.send, sendCall],
  [SyscallNumber.receive, receiveCall],
  [SyscallNumber.spawn, spawnCall],
  [SyscallNumber.wait, waitCall],
  [SyscallNumber.clock, clockCall],
  [SyscallNumber.sleep, sleepCall],
  [SyscallNumber.nodeinfo, nodeinfoCall],
  [SyscallNumber.kill, killCall],
  [SyscallNumber.handshake, handshakeCall],
  [SyscallNumber.migrateOut, migrateOutCall],
  [SyscallNumber.migrateIn, migrateInCall],
  [SyscallNumber.cancelMigrate, cancelMigrateCall],
  [SyscallNumber.loads, loadsCall],
]);

/**
 * Runs the syscall the process on the CPU asked for with `int 0x80` (its number and arguments
 * in the CPU's registers) and puts the result in eax, unless the call blocked or ended it.
 */
export function dispatchSyscall(kernel: Kernel, process: Process): void {
  const regs = kernel.machine.cpu.regs;
  // A process that moved by copy-on-reference first fetches the pages the call's buffers cover.
  if (
    kernel.net?.migration.remotePages.holdsSyscall(
      process,
      regs[Reg.eax]!,
      regs[Reg.ebx]! >>> 0,
      regs[Reg.ecx]! >>> 0,
      regs[Reg.edx]! >>> 0,
    )
  ) {
    return;
  }
  const handler = syscallHandlers.get(regs[Reg.eax]!);
  const result = handler
    ? handler(
        kernel,
        process,
        regs[Reg.ebx]! >>> 0,
        regs[Reg.ecx]! >>> 0,
        regs[Reg.edx]! >>> 0,
        regs[Reg.esi]! >>> 0,
      )
    : -Errno.ENOSYS;
  if (result !== syscallBlocked && process.isAlive) regs[Reg.eax] = result;
}

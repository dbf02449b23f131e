// Test fixture: runs a guest in a GuestMachine, serving the two Linux i386 syscalls the
// recorded test programs use (write = 4, exit = 1) the way qemu-i386 does, so the same
// bytes can be compared with their qemu-i386 recordings without the kernel.

import { StopReason } from "../../../vm/cpu/stop-reason.ts";
import type { GuestMachine } from "./guest-machine.ts";

export interface GuestRun {
  output: Uint8Array;
  exitStatus: number;
  /** Set when the run stopped with an exception instead of exit. */
  exceptionVector?: number;
}

export function runWithSyscalls(machine: GuestMachine, budgetCycles = 50_000_000): GuestRun {
  const { cpu, memory, physicalOf } = machine;
  const output: number[] = [];
  let spentCycles = 0;
  while (spentCycles < budgetCycles) {
    const before = cpu.cycles;
    const reason = cpu.run(budgetCycles - spentCycles);
    spentCycles += cpu.cycles - before;
    if (reason === StopReason.Exception) {
      return {
        output: Uint8Array.from(output),
        exitStatus: -1,
        exceptionVector: cpu.exceptionVector,
      };
    }
    if (reason !== StopReason.Trap) break;
    if (cpu.trapVector !== 0x80) throw new Error(`unexpected trap ${cpu.trapVector}`);
    const [eax, ecx, edx, ebx] = [cpu.regs[0]!, cpu.regs[1]!, cpu.regs[2]!, cpu.regs[3]!];
    if (eax === 1) return { output: Uint8Array.from(output), exitStatus: ebx };
    if (eax !== 4) throw new Error(`unexpected syscall ${eax}`);
    for (let i = 0; i < edx; i++) output.push(memory.read8(physicalOf(ecx + i)));
    cpu.regs[0] = edx;
  }
  throw new Error(`guest still running after ${budgetCycles} cycles`);
}

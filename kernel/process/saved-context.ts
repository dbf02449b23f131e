// The user registers of a process while it is off the CPU: the eight general registers, eip
// and EFLAGS, which is all a CPL 3 flat-mode i386 process has (segments are flat, no FPU).
// Saving and loading copy between a preallocated typed array and the CPU, allocating nothing.

import type { Cpu } from "../../vm/cpu/cpu.ts";

/** Register indices in `regs`, in the CPU's order EAX ECX EDX EBX ESP EBP ESI EDI. */
export const Reg = { eax: 0, ecx: 1, edx: 2, ebx: 3, esp: 4, ebp: 5, esi: 6, edi: 7 } as const;

/** EFLAGS at process start, as Linux sets them: IF and the always-one bit 1. */
export const initialEflags = 0x202;

export class SavedContext {
  readonly regs = new Int32Array(8);
  eip = 0;
  eflags = initialEflags;

  saveFrom(cpu: Cpu): void {
    this.regs.set(cpu.regs);
    this.eip = cpu.eip;
    this.eflags = cpu.getEflags();
  }

  loadInto(cpu: Cpu): void {
    cpu.regs.set(this.regs);
    cpu.eip = this.eip;
    cpu.setEflags(this.eflags);
  }
}

// Skeleton of the i386 CPU (CPL 3, flat 32-bit protected mode): the public shape other
// parts code against. The interpreter lands in the next commits; until then every run
// stops at once with #UD so callers see a well-formed exception.

import type { PhysicalMemory } from "../memory/physical-memory.ts";
import type { Mmu } from "../mmu/mmu.ts";
import type { CpuState } from "./cpu-state.ts";
import { StopReason } from "./stop-reason.ts";

export type { CpuState } from "./cpu-state.ts";

export class Cpu {
  /** EAX ECX EDX EBX ESP EBP ESI EDI. */
  readonly regs = new Int32Array(8);
  eip = 0;
  cycles = 0;
  instructions = 0;
  trapVector = 0;
  exceptionVector = 0;
  exceptionErrorCode = 0;
  private eflags = 0x202;

  constructor(
    readonly mmu: Mmu,
    readonly memory: PhysicalMemory,
  ) {}

  getEflags(): number {
    return this.eflags | 2;
  }

  setEflags(value: number): void {
    this.eflags = value >>> 0;
  }

  run(_budgetCycles: number): StopReason {
    this.exceptionVector = 6;
    this.exceptionErrorCode = 0;
    return StopReason.Exception;
  }

  recentEips(_count: number): number[] {
    return [];
  }

  flushDecodeCache(): void {}

  getState(): CpuState {
    return {
      regs: Array.from(this.regs, (r) => r >>> 0),
      eip: this.eip,
      eflags: this.getEflags(),
      cycles: this.cycles,
      instructions: this.instructions,
    };
  }

  setState(state: CpuState): void {
    this.regs.set(state.regs.map((r) => r | 0));
    this.eip = state.eip >>> 0;
    this.setEflags(state.eflags);
    this.cycles = state.cycles;
    this.instructions = state.instructions;
  }
}

// The interpreter for one decoded instruction: specialised cases for the common 32-bit
// shapes (fast-kind.ts), string instructions (execute-string.ts) and everything else
// through the size-generic handlers (execute.ts). It runs code the first few times before
// it is compiled into blocks (block-compiler.ts, which mirrors these cases), and every
// instruction a block cannot contain. Registers change only after the last access that
// can fault.

import { cpuCostCycles } from "./cost-table.ts";
import { type Cpu, ESP } from "./cpu.ts";
import { executeGeneric, STATUS_TRAP } from "./execute.ts";
import { executeString } from "./execute-string.ts";
import { AluOp, FastKind, ShiftOp } from "./fast-kind.ts";
import { LazyOp } from "./lazy-flags.ts";

export const enum StepOutcome {
  /** The instruction completed; cpu.stepCycles is its cost. */
  Retired = 0,
  /** int n / int3 / into: completed, and the run stops with a trap. */
  Trap = 1,
  /** A rep string instruction cut short by the budget: not retired, resumes next time. */
  Incomplete = 2,
}

/**
 * Executes the instruction decoded in `slot` at `eip` (int32) and returns the next eip.
 * Sets cpu.stepOutcome and cpu.stepCycles. `budgetCycles` bounds rep string instructions.
 */
export function executeFast(cpu: Cpu, slot: number, eip: number, budgetCycles: number): number {
  const store = cpu.cache.store;
  const r = cpu.r;
  const flags = cpu.flags;
  const dstOf = store.dst;
  const srcOf = store.src;
  const immOf = store.imm;
  const ccOf = store.cc;
  const kind = store.kind[slot]!;
  let next = (eip + store.lengthBytes[slot]!) | 0;
  let extraCycles = 0;
  cpu.stepOutcome = StepOutcome.Retired;
  switch (kind) {
    case FastKind.MovRegReg:
      r[dstOf[slot]!] = r[srcOf[slot]!]!;
      break;
    case FastKind.MovRegImm:
      r[dstOf[slot]!] = immOf[slot]!;
      break;
    case FastKind.MovLoad:
      r[dstOf[slot]!] = cpu.read32(cpu.effectiveAddress(slot));
      break;
    case FastKind.MovStore:
      cpu.write32(cpu.effectiveAddress(slot), r[srcOf[slot]!]!);
      break;
    case FastKind.MovStoreImm:
      cpu.write32(cpu.effectiveAddress(slot), immOf[slot]!);
      break;
    case FastKind.AluRegReg: {
      const dst = dstOf[slot]!;
      const result = alu32(cpu, ccOf[slot]!, r[dst]!, r[srcOf[slot]!]!);
      if (ccOf[slot] !== AluOp.Cmp) r[dst] = result;
      break;
    }
    case FastKind.AluRegImm: {
      const dst = dstOf[slot]!;
      const result = alu32(cpu, ccOf[slot]!, r[dst]!, immOf[slot]!);
      if (ccOf[slot] !== AluOp.Cmp) r[dst] = result;
      break;
    }
    case FastKind.AluRegMem: {
      const dst = dstOf[slot]!;
      const value = cpu.read32(cpu.effectiveAddress(slot));
      const result = alu32(cpu, ccOf[slot]!, r[dst]!, value);
      if (ccOf[slot] !== AluOp.Cmp) r[dst] = result;
      break;
    }
    case FastKind.AluMemReg:
    case FastKind.AluMemImm: {
      const address = cpu.effectiveAddress(slot);
      const operand = kind === FastKind.AluMemReg ? r[srcOf[slot]!]! : immOf[slot]!;
      const op = ccOf[slot]!;
      if (op === AluOp.Cmp) {
        alu32(cpu, op, cpu.read32(address), operand);
      } else {
        // Compute without touching flags until the store has succeeded.
        const before = cpu.read32(address);
        const carry = op === AluOp.Adc || op === AluOp.Sbb ? flags.cf() : 0;
        const result = aluResult32(op, before, operand, carry);
        cpu.write32(address, result);
        setAluFlags32(cpu, op, before, operand, result, carry);
      }
      break;
    }
    case FastKind.TestRegReg: {
      const result = r[dstOf[slot]!]! & r[srcOf[slot]!]!;
      flags.set(LazyOp.Logic, 0, 0, result);
      break;
    }
    case FastKind.Lea:
      r[dstOf[slot]!] = cpu.effectiveAddress(slot);
      break;
    case FastKind.PushReg: {
      const esp = (r[ESP]! - 4) | 0;
      cpu.write32(esp, r[dstOf[slot]!]!);
      r[ESP] = esp;
      break;
    }
    case FastKind.PushImm: {
      const esp = (r[ESP]! - 4) | 0;
      cpu.write32(esp, immOf[slot]!);
      r[ESP] = esp;
      break;
    }
    case FastKind.PopReg: {
      const esp = r[ESP]!;
      const value = cpu.read32(esp);
      r[ESP] = (esp + 4) | 0;
      r[dstOf[slot]!] = value;
      break;
    }
    case FastKind.CallRel: {
      const esp = (r[ESP]! - 4) | 0;
      cpu.write32(esp, next);
      r[ESP] = esp;
      next = (next + immOf[slot]!) | 0;
      break;
    }
    case FastKind.Ret: {
      const esp = r[ESP]!;
      const target = cpu.read32(esp);
      r[ESP] = (esp + 4) | 0;
      next = target;
      break;
    }
    case FastKind.JmpRel:
      next = (next + immOf[slot]!) | 0;
      break;
    case FastKind.Jcc:
      if (flags.condition(ccOf[slot]!)) {
        next = (next + immOf[slot]!) | 0;
        extraCycles = cpuCostCycles.branchTakenExtra;
        store.taken[slot]++;
      }
      break;
    case FastKind.IncReg: {
      const dst = dstOf[slot]!;
      const before = r[dst]!;
      const result = (before + 1) | 0;
      r[dst] = result;
      flags.setKeepingCarry(LazyOp.Inc, before, result);
      break;
    }
    case FastKind.DecReg: {
      const dst = dstOf[slot]!;
      const before = r[dst]!;
      const result = (before - 1) | 0;
      r[dst] = result;
      flags.setKeepingCarry(LazyOp.Dec, before, result);
      break;
    }
    case FastKind.MovzxLoad8:
      r[dstOf[slot]!] = cpu.read8(cpu.effectiveAddress(slot));
      break;
    case FastKind.MovsxLoad8:
      r[dstOf[slot]!] = (cpu.read8(cpu.effectiveAddress(slot)) << 24) >> 24;
      break;
    case FastKind.MovzxLoad16:
      r[dstOf[slot]!] = cpu.read16(cpu.effectiveAddress(slot));
      break;
    case FastKind.MovsxLoad16:
      r[dstOf[slot]!] = (cpu.read16(cpu.effectiveAddress(slot)) << 16) >> 16;
      break;
    case FastKind.MovzxReg8: {
      const src = srcOf[slot]!;
      r[dstOf[slot]!] = src < 4 ? r[src]! & 0xff : (r[src - 4]! >>> 8) & 0xff;
      break;
    }
    case FastKind.ShiftRegImm:
      shift32(cpu, dstOf[slot]!, ccOf[slot]!, immOf[slot]! & 31);
      break;
    case FastKind.ImulRegReg: {
      const dst = dstOf[slot]!;
      r[dst] = imul32(cpu, r[dst]!, r[srcOf[slot]!]!);
      break;
    }
    case FastKind.ImulRegRegImm:
      r[dstOf[slot]!] = imul32(cpu, r[srcOf[slot]!]!, immOf[slot]!);
      break;
    case FastKind.CmovRegReg:
      if (flags.condition(ccOf[slot]!)) r[dstOf[slot]!] = r[srcOf[slot]!]!;
      break;
    case FastKind.Nop:
      break;
    case FastKind.String: {
      // eip moves on only when the instruction is complete.
      cpu.eip = eip >>> 0;
      const usedCycles = executeString(cpu, slot, budgetCycles);
      if (cpu.eip === eip >>> 0) {
        cpu.stepOutcome = StepOutcome.Incomplete;
        cpu.stepCycles = usedCycles;
        return eip;
      }
      cpu.stepCycles = usedCycles;
      return cpu.eip | 0;
    }
    default:
      cpu.eip = next >>> 0;
      if (executeGeneric(cpu, slot) === STATUS_TRAP) cpu.stepOutcome = StepOutcome.Trap;
      next = cpu.eip | 0;
      break;
  }
  cpu.stepCycles = store.costCycles[slot]! + extraCycles;
  return next;
}

/** An ALU operation on 32-bit operands: sets the flags, returns the result. */
function alu32(cpu: Cpu, op: number, a: number, b: number): number {
  const carry = op === AluOp.Adc || op === AluOp.Sbb ? cpu.flags.cf() : 0;
  const result = aluResult32(op, a, b, carry);
  setAluFlags32(cpu, op, a, b, result, carry);
  return result;
}

/** Result of an ALU op on 32-bit operands (cmp gives the difference, not stored). */
function aluResult32(op: number, a: number, b: number, carry: number): number {
  switch (op) {
    case AluOp.Add:
      return (a + b) | 0;
    case AluOp.Or:
      return a | b;
    case AluOp.Adc:
      return (a + b + carry) | 0;
    case AluOp.Sbb:
      return (a - b - carry) | 0;
    case AluOp.And:
      return a & b;
    case AluOp.Xor:
      return a ^ b;
    default:
      return (a - b) | 0;
  }
}

function setAluFlags32(
  cpu: Cpu,
  op: number,
  a: number,
  b: number,
  result: number,
  carry: number,
): void {
  const flags = cpu.flags;
  switch (op) {
    case AluOp.Add:
      flags.set(LazyOp.Add, a, b, result);
      break;
    case AluOp.Adc:
      flags.set(carry ? LazyOp.AddCarry : LazyOp.Add, a, b, result);
      break;
    case AluOp.Sub:
    case AluOp.Cmp:
      flags.set(LazyOp.Sub, a, b, result);
      break;
    case AluOp.Sbb:
      flags.set(carry ? LazyOp.SubBorrow : LazyOp.Sub, a, b, result);
      break;
    default:
      flags.set(LazyOp.Logic, 0, 0, result);
      break;
  }
}

function shift32(cpu: Cpu, reg: number, op: number, count: number): void {
  if (count === 0) return;
  const r = cpu.r;
  const value = r[reg]!;
  let result: number;
  let carry: number;
  let overflow: number;
  if (op === ShiftOp.Shl) {
    result = value << count;
    carry = (value >>> (32 - count)) & 1;
    overflow = (result >>> 31) ^ carry;
  } else if (op === ShiftOp.Shr) {
    result = value >>> count;
    carry = (value >>> (count - 1)) & 1;
    overflow = value >>> 31;
  } else {
    result = value >> count;
    carry = (value >> (count - 1)) & 1;
    overflow = 0;
  }
  r[reg] = result;
  cpu.flags.set(LazyOp.Explicit, carry, overflow, result | 0);
}

/** Two/three-operand imul: low 32 bits; CF = OF = the product does not fit. */
function imul32(cpu: Cpu, a: number, b: number): number {
  const result = Math.imul(a, b);
  const overflow = a * b !== result ? 1 : 0;
  cpu.flags.set(LazyOp.Explicit, overflow, overflow, result);
  return result;
}

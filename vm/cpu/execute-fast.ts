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
 *
 * Each kind is its own small function, called through one table: V8 then optimises each on
 * its own, and a kind running for the first time costs nothing elsewhere. As one switch,
 * the function was optimised and deoptimised again each time a kind with no type feedback
 * yet ran (5 TurboFan compiles, 82 ms of compile time, in one C bench run).
 */
export function executeFast(cpu: Cpu, slot: number, eip: number, budgetCycles: number): number {
  const store = cpu.cache.store;
  cpu.stepOutcome = StepOutcome.Retired;
  cpu.stepCycles = store.costCycles[slot]!;
  return fastKindHandlers[store.kind[slot]!]!(
    cpu,
    slot,
    (eip + store.lengthBytes[slot]!) | 0,
    budgetCycles,
  );
}

/**
 * Runs one kind: the slot's instruction, `next` the eip after it; returns the next eip.
 * `budgetCycles` bounds a rep string instruction, the only kind that reads it.
 */
type FastKindHandler = (cpu: Cpu, slot: number, next: number, budgetCycles: number) => number;

/** A string instruction: its own cycles; eip moves on only when it is complete. */
function string(cpu: Cpu, slot: number, next: number, budgetCycles: number): number {
  const eip = (next - cpu.cache.store.lengthBytes[slot]!) | 0;
  cpu.eip = eip >>> 0;
  cpu.stepCycles = executeString(cpu, slot, budgetCycles);
  if (cpu.eip === eip >>> 0) {
    cpu.stepOutcome = StepOutcome.Incomplete;
    return eip;
  }
  return cpu.eip | 0;
}

function generic(cpu: Cpu, slot: number, next: number): number {
  cpu.eip = next >>> 0;
  if (executeGeneric(cpu, slot) === STATUS_TRAP) cpu.stepOutcome = StepOutcome.Trap;
  return cpu.eip | 0;
}

function movRegReg(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  cpu.r[store.dst[slot]!] = cpu.r[store.src[slot]!]!;
  return next;
}

function movRegImm(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  cpu.r[store.dst[slot]!] = store.imm[slot]!;
  return next;
}

function movLoad(cpu: Cpu, slot: number, next: number): number {
  cpu.r[cpu.cache.store.dst[slot]!] = cpu.read32(cpu.effectiveAddress(slot));
  return next;
}

function movStore(cpu: Cpu, slot: number, next: number): number {
  cpu.write32(cpu.effectiveAddress(slot), cpu.r[cpu.cache.store.src[slot]!]!);
  return next;
}

function movStoreImm(cpu: Cpu, slot: number, next: number): number {
  cpu.write32(cpu.effectiveAddress(slot), cpu.cache.store.imm[slot]!);
  return next;
}

/** An ALU operation into a register; cmp only sets the flags. */
function aluIntoRegister(cpu: Cpu, slot: number, source: number): void {
  const store = cpu.cache.store;
  const dst = store.dst[slot]!;
  const op = store.cc[slot]!;
  const result = alu32(cpu, op, cpu.r[dst]!, source);
  if (op !== AluOp.Cmp) cpu.r[dst] = result;
}

function aluRegReg(cpu: Cpu, slot: number, next: number): number {
  aluIntoRegister(cpu, slot, cpu.r[cpu.cache.store.src[slot]!]!);
  return next;
}

function aluRegImm(cpu: Cpu, slot: number, next: number): number {
  aluIntoRegister(cpu, slot, cpu.cache.store.imm[slot]!);
  return next;
}

function aluRegMem(cpu: Cpu, slot: number, next: number): number {
  aluIntoRegister(cpu, slot, cpu.read32(cpu.effectiveAddress(slot)));
  return next;
}

/** An ALU operation into memory; cmp only reads it. */
function aluIntoMemory(cpu: Cpu, slot: number, operand: number): void {
  const address = cpu.effectiveAddress(slot);
  const op = cpu.cache.store.cc[slot]!;
  if (op === AluOp.Cmp) {
    alu32(cpu, op, cpu.read32(address), operand);
    return;
  }
  // Compute without touching flags until the store has succeeded.
  const before = cpu.read32(address);
  const carry = op === AluOp.Adc || op === AluOp.Sbb ? cpu.flags.cf() : 0;
  const result = aluResult32(op, before, operand, carry);
  cpu.write32(address, result);
  setAluFlags32(cpu, op, before, operand, result, carry);
}

function aluMemReg(cpu: Cpu, slot: number, next: number): number {
  aluIntoMemory(cpu, slot, cpu.r[cpu.cache.store.src[slot]!]!);
  return next;
}

function aluMemImm(cpu: Cpu, slot: number, next: number): number {
  aluIntoMemory(cpu, slot, cpu.cache.store.imm[slot]!);
  return next;
}

function testRegReg(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  cpu.flags.set(LazyOp.Logic, 0, 0, cpu.r[store.dst[slot]!]! & cpu.r[store.src[slot]!]!);
  return next;
}

function lea(cpu: Cpu, slot: number, next: number): number {
  cpu.r[cpu.cache.store.dst[slot]!] = cpu.effectiveAddress(slot);
  return next;
}

function push(cpu: Cpu, value: number): void {
  const esp = (cpu.r[ESP]! - 4) | 0;
  cpu.write32(esp, value);
  cpu.r[ESP] = esp;
}

function pushReg(cpu: Cpu, slot: number, next: number): number {
  push(cpu, cpu.r[cpu.cache.store.dst[slot]!]!);
  return next;
}

function pushImm(cpu: Cpu, slot: number, next: number): number {
  push(cpu, cpu.cache.store.imm[slot]!);
  return next;
}

function pop(cpu: Cpu): number {
  const esp = cpu.r[ESP]!;
  const value = cpu.read32(esp);
  cpu.r[ESP] = (esp + 4) | 0;
  return value;
}

function popReg(cpu: Cpu, slot: number, next: number): number {
  const value = pop(cpu);
  cpu.r[cpu.cache.store.dst[slot]!] = value;
  return next;
}

function callRel(cpu: Cpu, slot: number, next: number): number {
  push(cpu, next);
  return (next + cpu.cache.store.imm[slot]!) | 0;
}

function ret(cpu: Cpu, _slot: number, _next: number): number {
  return pop(cpu);
}

function jmpRel(cpu: Cpu, slot: number, next: number): number {
  return (next + cpu.cache.store.imm[slot]!) | 0;
}

function jcc(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  if (!cpu.flags.condition(store.cc[slot]!)) return next;
  cpu.stepCycles += cpuCostCycles.branchTakenExtra;
  store.taken[slot]++;
  return (next + store.imm[slot]!) | 0;
}

function incReg(cpu: Cpu, slot: number, next: number): number {
  const dst = cpu.cache.store.dst[slot]!;
  const before = cpu.r[dst]!;
  const result = (before + 1) | 0;
  cpu.r[dst] = result;
  cpu.flags.setKeepingCarry(LazyOp.Inc, before, result);
  return next;
}

function decReg(cpu: Cpu, slot: number, next: number): number {
  const dst = cpu.cache.store.dst[slot]!;
  const before = cpu.r[dst]!;
  const result = (before - 1) | 0;
  cpu.r[dst] = result;
  cpu.flags.setKeepingCarry(LazyOp.Dec, before, result);
  return next;
}

function movzxLoad8(cpu: Cpu, slot: number, next: number): number {
  cpu.r[cpu.cache.store.dst[slot]!] = cpu.read8(cpu.effectiveAddress(slot));
  return next;
}

function movsxLoad8(cpu: Cpu, slot: number, next: number): number {
  cpu.r[cpu.cache.store.dst[slot]!] = (cpu.read8(cpu.effectiveAddress(slot)) << 24) >> 24;
  return next;
}

function movzxLoad16(cpu: Cpu, slot: number, next: number): number {
  cpu.r[cpu.cache.store.dst[slot]!] = cpu.read16(cpu.effectiveAddress(slot));
  return next;
}

function movsxLoad16(cpu: Cpu, slot: number, next: number): number {
  cpu.r[cpu.cache.store.dst[slot]!] = (cpu.read16(cpu.effectiveAddress(slot)) << 16) >> 16;
  return next;
}

function movzxReg8(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  const r = cpu.r;
  const src = store.src[slot]!;
  r[store.dst[slot]!] = src < 4 ? r[src]! & 0xff : (r[src - 4]! >>> 8) & 0xff;
  return next;
}

function shiftRegImm(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  shift32(cpu, store.dst[slot]!, store.cc[slot]!, store.imm[slot]! & 31);
  return next;
}

function imulRegReg(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  const dst = store.dst[slot]!;
  cpu.r[dst] = imul32(cpu, cpu.r[dst]!, cpu.r[store.src[slot]!]!);
  return next;
}

function imulRegRegImm(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  cpu.r[store.dst[slot]!] = imul32(cpu, cpu.r[store.src[slot]!]!, store.imm[slot]!);
  return next;
}

function cmovRegReg(cpu: Cpu, slot: number, next: number): number {
  const store = cpu.cache.store;
  if (cpu.flags.condition(store.cc[slot]!)) cpu.r[store.dst[slot]!] = cpu.r[store.src[slot]!]!;
  return next;
}

function nop(_cpu: Cpu, _slot: number, next: number): number {
  return next;
}

/** Indexed by FastKind. */
const fastKindHandlers: readonly FastKindHandler[] = (() => {
  const table: FastKindHandler[] = [];
  table[FastKind.Generic] = generic;
  table[FastKind.String] = string;
  table[FastKind.MovRegReg] = movRegReg;
  table[FastKind.MovRegImm] = movRegImm;
  table[FastKind.MovLoad] = movLoad;
  table[FastKind.MovStore] = movStore;
  table[FastKind.MovStoreImm] = movStoreImm;
  table[FastKind.AluRegReg] = aluRegReg;
  table[FastKind.AluRegImm] = aluRegImm;
  table[FastKind.AluRegMem] = aluRegMem;
  table[FastKind.AluMemReg] = aluMemReg;
  table[FastKind.AluMemImm] = aluMemImm;
  table[FastKind.Lea] = lea;
  table[FastKind.PushReg] = pushReg;
  table[FastKind.PopReg] = popReg;
  table[FastKind.PushImm] = pushImm;
  table[FastKind.CallRel] = callRel;
  table[FastKind.Ret] = ret;
  table[FastKind.JmpRel] = jmpRel;
  table[FastKind.Jcc] = jcc;
  table[FastKind.IncReg] = incReg;
  table[FastKind.DecReg] = decReg;
  table[FastKind.MovzxLoad8] = movzxLoad8;
  table[FastKind.MovsxLoad8] = movsxLoad8;
  table[FastKind.MovzxLoad16] = movzxLoad16;
  table[FastKind.MovsxLoad16] = movsxLoad16;
  table[FastKind.MovzxReg8] = movzxReg8;
  table[FastKind.ShiftRegImm] = shiftRegImm;
  table[FastKind.ImulRegReg] = imulRegReg;
  table[FastKind.ImulRegRegImm] = imulRegRegImm;
  table[FastKind.CmovRegReg] = cmovRegReg;
  table[FastKind.TestRegReg] = testRegReg;
  table[FastKind.Nop] = nop;
  return table;
})();

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

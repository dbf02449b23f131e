// The decoder's lookup tables, built once from isa.ts: which row an opcode byte (with or
// without 0x66, one-byte or 0x0F map) selects, ModRM groups by reg field, and per-row
// facts in typed arrays (operand kinds, handler id, operand size, base cost). A row's number
// is its index in isaRows.

import { cpuCostCycles } from "./cost-table.ts";
import { HandlerId, handlerIdOf } from "./handler-id.ts";
import { type Handler, type IsaRow, isaRows, type OperandType } from "./isa.ts";

export const enum OperandKind {
  /** ModRM.reg, or the register in the opcode's low bits */
  Reg,
  /** ModRM.rm: register or memory */
  Rm,
  /** ModRM.rm, memory only */
  Mem,
  Imm8,
  Imm16,
  Imm32,
  Simm8,
  Rel8,
  Rel16,
  Rel32,
  /** 32-bit absolute address */
  Moffs,
  /** al / ax / eax */
  Acc,
  /** cl as a shift count */
  Cl,
  /** dx as an I/O port */
  Dx,
  /** the constant 1 */
  One,
  /** a segment register number in ModRM.reg */
  Sreg,
  /** a segment register number in bits 3..5 of the opcode */
  SregOpcode,
  /** a control or debug register number in ModRM.reg */
  SystemRegister,
  /** a 32-bit register in ModRM.rm, whatever ModRM.mod says */
  RmRegister,
}

export const enum ModrmKind {
  None = 0,
  Reg = 1,
  Digit = 2,
}

const operandKindOf: Readonly<Record<OperandType, OperandKind>> = {
  r8: OperandKind.Reg,
  r16: OperandKind.Reg,
  r32: OperandKind.Reg,
  rm8: OperandKind.Rm,
  rm16: OperandKind.Rm,
  rm32: OperandKind.Rm,
  m: OperandKind.Mem,
  imm8: OperandKind.Imm8,
  imm16: OperandKind.Imm16,
  imm32: OperandKind.Imm32,
  simm8: OperandKind.Simm8,
  rel8: OperandKind.Rel8,
  rel16: OperandKind.Rel16,
  rel32: OperandKind.Rel32,
  moffs8: OperandKind.Moffs,
  moffs16: OperandKind.Moffs,
  moffs32: OperandKind.Moffs,
  al: OperandKind.Acc,
  ax: OperandKind.Acc,
  eax: OperandKind.Acc,
  cl: OperandKind.Cl,
  dx: OperandKind.Dx,
  one: OperandKind.One,
  sreg: OperandKind.Sreg,
  sregOpcode: OperandKind.SregOpcode,
  creg: OperandKind.SystemRegister,
  dreg: OperandKind.SystemRegister,
  rm32Register: OperandKind.RmRegister,
};

const baseCostOf: Readonly<Record<Handler, number>> = (() => {
  const c = cpuCostCycles;
  const cost = {} as Record<Handler, number>;
  for (const row of isaRows) cost[row.handler] = c.simple;
  for (const h of ["push", "pop", "leave"] as const) cost[h] = c.stack;
  for (const h of ["call", "ret", "jmp"] as const) cost[h] = c.controlTransfer;
  for (const h of ["jcc", "jecxz", "loop", "loope", "loopne"] as const) cost[h] = c.branchNotTaken;
  for (const h of ["rol", "ror", "rcl", "rcr", "shl", "shr", "sar", "shld", "shrd"] as const) {
    cost[h] = c.shift;
  }
  for (const h of ["mul", "imul", "imulWide", "aad"] as const) cost[h] = c.multiply;
  for (const h of ["div", "idiv", "aam"] as const) cost[h] = c.divide;
  for (const h of ["cpuid", "rdtsc"] as const) cost[h] = c.processorQuery;
  cost.bound = c.stack;
  cost.pushSegment = c.stack;
  cost.popSegment = c.stack;
  for (const h of ["bsf", "bsr"] as const) cost[h] = c.bitScan;
  for (const h of ["pusha", "popa", "enter"] as const) cost[h] = c.multiPush;
  for (const h of ["xchg", "cmpxchg", "xadd"] as const) cost[h] = c.exchange;
  for (const h of ["movs", "cmps", "stos", "lods", "scas"] as const) cost[h] = c.stringElement;
  for (const h of ["int", "int3", "into"] as const) cost[h] = c.trap;
  for (const h of ["pushf", "popf", "lahf", "sahf", "clc", "stc", "cmc", "cld", "std"] as const) {
    cost[h] = c.flags;
  }
  return cost;
})();

const rowCount = isaRows.length;
export const rowHandler = new Uint8Array(rowCount);
/** Operand size in bits (rows without one execute as 32-bit). */
export const rowSize = new Uint8Array(rowCount);
export const rowModrm = new Uint8Array(rowCount);
export const rowPlusReg = new Uint8Array(rowCount);
/** Condition code, or 0 for rows without one. */
export const rowCc = new Uint8Array(rowCount);
export const rowLockable = new Uint8Array(rowCount);
export const rowOperandCount = new Uint8Array(rowCount);
/** 1 where ModRM.rm always names a register (mov to/from control and debug registers). */
export const rowRmAlwaysRegister = new Uint8Array(rowCount);
/** Three OperandKind slots per row. */
export const rowOperandKinds = new Uint8Array(rowCount * 3);
/** Three operand sizes in bits per row (8, 16, 32; 0 for sizeless operands). */
export const rowOperandBits = new Uint8Array(rowCount * 3);
export const rowBaseCostCycles = new Uint8Array(rowCount);

const undefinedEntry = -1;
/** Entry for (operand size 16 ? 512 : 0) + map * 256 + opcode byte: row, -1, or -2 - group. */
export const opcodeTable = new Int16Array(1024).fill(undefinedEntry);
/** Eight rows (by ModRM.reg) per group; -1 where the group has no row. */
export const groupTable: Int16Array = buildTables();

export function groupOfEntry(entry: number): number {
  return -2 - entry;
}

function buildTables(): Int16Array {
  const groups: number[] = [];
  const groupIndexOfKey = new Map<number, number>();
  isaRows.forEach((row, rowIndex) => {
    describeRow(row, rowIndex);
    const sizes = row.operandSize === 16 ? [16] : row.operandSize === 32 ? [32] : [16, 32];
    const map = row.opcode.length === 2 ? 1 : 0;
    const last = row.opcode[row.opcode.length - 1]!;
    for (const size of sizes) {
      for (let reg = 0; reg < (row.plusReg ? 8 : 1); reg++) {
        const key = (size === 16 ? 512 : 0) + map * 256 + last + reg;
        if (row.modrm === "digit") {
          let group = groupIndexOfKey.get(key);
          if (group === undefined) {
            group = groups.length / 8;
            groupIndexOfKey.set(key, group);
            for (let i = 0; i < 8; i++) groups.push(undefinedEntry);
            opcodeTable[key] = -2 - group;
          }
          groups[group * 8 + row.digit] = rowIndex;
        } else if (!(row.plusReg && opcodeTable[key] !== undefinedEntry)) {
          // A plain row wins over a +r row on the same byte: 90 is nop, not xchg eax, eax.
          opcodeTable[key] = rowIndex;
        }
      }
    }
  });
  return Int16Array.from(groups);
}

function describeRow(row: IsaRow, rowIndex: number): void {
  rowHandler[rowIndex] = handlerIdOf[row.handler];
  rowSize[rowIndex] = row.operandSize === 0 ? 32 : row.operandSize;
  rowModrm[rowIndex] =
    row.modrm === "r" ? ModrmKind.Reg : row.modrm === "digit" ? ModrmKind.Digit : ModrmKind.None;
  rowPlusReg[rowIndex] = row.plusReg ? 1 : 0;
  rowCc[rowIndex] = Math.max(row.cc, 0);
  rowLockable[rowIndex] = row.prefixes.includes("lock") ? 1 : 0;
  rowOperandCount[rowIndex] = row.operands.length;
  rowRmAlwaysRegister[rowIndex] = row.operands.includes("rm32Register") ? 1 : 0;
  row.operands.forEach((operand, i) => {
    rowOperandKinds[rowIndex * 3 + i] = operandKindOf[operand];
    rowOperandBits[rowIndex * 3 + i] = operandBitsOf(operand);
  });
  rowBaseCostCycles[rowIndex] = baseCostOf[row.handler];
}

function operandBitsOf(operand: OperandType): number {
  if (/^(r8|rm8|imm8|simm8|moffs8|al|cl)$/.test(operand)) return 8;
  if (/^(r16|rm16|imm16|moffs16|ax|dx)$/.test(operand)) return 16;
  if (/^(r32|rm32|imm32|moffs32|eax)$/.test(operand)) return 32;
  return 0;
}

/** True for handlers whose ModRM memory operand is an address only, never accessed. */
export function addressOnly(handler: number): boolean {
  return handler === HandlerId.Lea || handler === HandlerId.Nop;
}

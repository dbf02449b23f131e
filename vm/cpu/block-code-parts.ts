// Pieces of generated block code shared by the block compiler (block-compiler.ts) and its
// code for the less common instruction forms (block-uncommon-forms.ts): operand reads and
// writes, sign extension, lazy-flag records (marked, so dead ones can be dropped), the carry
// and condition tests specialised for the record the block made.

import { loadCode, storeCode } from "./block-memory-code.ts";
import {
  type DecodedInstructions,
  LOCATION_IMMEDIATE,
  LOCATION_MEMORY,
} from "./decoded-instructions.ts";
import { FLAG_CF, FLAG_OF } from "./eflags.ts";
import { signExtend } from "./execute.ts";
import { LazyOp } from "./lazy-flags.ts";

/**
 * The lazy op the last flag-setting instruction of the block so far recorded, known when the
 * code is generated (for branch specialisation and inc/dec's carry), or unknownOp.
 */
export type FlagSource = LazyOp | -1;
export const unknownOp = -1;

/** Marks a lazy-flag record, so dropDeadFlagRecords can tell it from code that reads flags. */
export function flagRecord(record: string): string {
  return `${recordOpen}${record}${recordClose}`;
}

/** Placeholder before a call of a LazyFlags method: the flag locals are stored into `f` first. */
export const flagsSync = "/*flags-sync*/";

/** CF (0 or 1) of the current record, specialised for a record the block made. */
export function carryCode(source: FlagSource): string {
  switch (source) {
    case LazyOp.Add:
      return "((f.result >>> 0) < (f.a >>> 0) ? 1 : 0)";
    case LazyOp.Sub:
      return "((f.a >>> 0) < (f.b >>> 0) ? 1 : 0)";
    case LazyOp.Explicit:
      return "(f.a & 1)";
    default:
      return `(${flagsSync} f.cf())`;
  }
}

const recordOpen = "/*flags<*/";
const recordClose = "/*>flags*/";
export const markedRecord = /\/\*flags<\*\/(.*?)\/\*>flags\*\//g;

export function lazyRecord(op: LazyOp): string {
  return flagRecord(`f.op = ${op}; f.a = a; f.b = b; f.result = x;`);
}

export function signExtendCode(expression: string, bits: number): string {
  if (bits === 32) return `((${expression}) | 0)`;
  return bits === 16 ? `(((${expression}) << 16) >> 16)` : `(((${expression}) << 24) >> 24)`;
}

/** An operand's value, sign-extended from `bits` to 32. */
export function readCode(location: number, bits: number, imm: number, step: number): string {
  if (location === LOCATION_MEMORY) {
    const value = loadCode(bits, "ad", step, "operand");
    if (bits === 32) return value;
    return bits === 16 ? `((${value} << 16) >> 16)` : `((${value} << 24) >> 24)`;
  }
  if (location === LOCATION_IMMEDIATE) return `${signExtend(imm, bits)}`;
  if (bits === 32) return `r[${location}]`;
  if (bits === 16) return `((r[${location}] << 16) >> 16)`;
  return location < 4 ? `((r[${location}] << 24) >> 24)` : `((r[${location - 4}] << 16) >> 24)`;
}

/** A statement storing the low `bits` of `value` into an operand. */
export function writeCode(location: number, bits: number, value: string, step: number): string {
  if (location === LOCATION_MEMORY) return storeCode(bits, "ad", value, step, "operand");
  if (bits === 32) return `r[${location}] = ${value};`;
  if (bits === 16) return `r[${location}] = (r[${location}] & -65536) | ((${value}) & 65535);`;
  if (location < 4) return `r[${location}] = (r[${location}] & -256) | ((${value}) & 255);`;
  const reg = location - 4;
  return `r[${reg}] = (r[${reg}] & -65281) | (((${value}) & 255) << 8);`;
}

/** A boolean expression for condition cc, specialised when the flag source is known. */
export function conditionCode(cc: number, source: FlagSource): string {
  if (source === LazyOp.Sub) {
    switch (cc) {
      case 2:
        return "(f.a >>> 0) < (f.b >>> 0)";
      case 3:
        return "(f.a >>> 0) >= (f.b >>> 0)";
      case 4:
        return "f.a === f.b";
      case 5:
        return "f.a !== f.b";
      case 6:
        return "(f.a >>> 0) <= (f.b >>> 0)";
      case 7:
        return "(f.a >>> 0) > (f.b >>> 0)";
      case 12:
        return "f.a < f.b";
      case 13:
        return "f.a >= f.b";
      case 14:
        return "f.a <= f.b";
      case 15:
        return "f.a > f.b";
    }
  }
  if (source === LazyOp.Logic) {
    switch (cc) {
      case 12:
        return "f.result < 0";
      case 13:
        return "f.result >= 0";
      case 14:
        return "f.result <= 0";
      case 15:
        return "f.result > 0";
    }
  }
  if (source !== unknownOp) {
    switch (cc) {
      case 4:
        return "f.result === 0";
      case 5:
        return "f.result !== 0";
      case 8:
        return "f.result < 0";
      case 9:
        return "f.result >= 0";
    }
  }
  return `(${flagsSync} f.condition(${cc}))`;
}

/** A decoded instruction's handler and operands, with its operands' read and write code. */
export interface SlotOperands {
  handler: number;
  size: number;
  dst: number;
  src: number;
  imm: number;
  read: (location: number, bits: number) => string;
  write: (location: number, bits: number, value: string) => string;
}

/** The operands of the instruction in `slot`, for code generated at `step` of a block. */
export function slotOperands(store: DecodedInstructions, slot: number, step: number): SlotOperands {
  const imm = store.imm[slot]!;
  return {
    handler: store.handler[slot]!,
    size: store.size[slot]!,
    dst: store.dst[slot]!,
    src: store.src[slot]!,
    imm,
    read: (location, bits) => readCode(location, bits, imm, step),
    write: (location, bits, value) => writeCode(location, bits, value, step),
  };
}

/** Materialises the lazy flags into f.word (and the record's op local into None). */
export const materialise = `${flagsSync} f.materialise(); f.op = ${LazyOp.None};`;

/** Sets CF from `cy` and OF from `o` (0 or 1), the other flags kept (rotates). */
export const editCarryAndOverflow = `${materialise} f.word = (f.word & ${~(FLAG_CF | FLAG_OF)}) | cy | (o * ${FLAG_OF});`;

/** The flag record of a shift, from its `cy`, `o` and result `x` (unmarked). */
export const shiftRecord = `f.op = ${LazyOp.Explicit}; f.a = cy; f.b = o; f.result = x;`;

/** `cy` and `o` of rol (`left`) or ror from the rotated value `u`, its top bit `top`. */
export function rotateFlagsCode(left: boolean, top: number): string {
  return left
    ? `const cy = u & 1; const o = ((u >>> ${top}) & 1) ^ cy;`
    : `const cy = (u >>> ${top}) & 1; const o = cy ^ ((u >>> ${top - 1}) & 1);`;
}

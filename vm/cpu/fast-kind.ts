// Specialised interpreter cases for the forms that dominate compiled code (32-bit operands,
// register/immediate/simple memory shapes). Every other decoded instruction runs through
// the size-generic handlers in execute.ts with the same semantics. `chooseFastKind` picks
// the case once, at decode time, and stores any sub-operation in the slot's `cc` field.

import { rowOperandBits, rowOperandCount } from "./decode-table.ts";
import {
  type DecodedInstructions,
  LOCATION_IMMEDIATE,
  LOCATION_MEMORY,
  LOCATION_NONE,
} from "./decoded-instructions.ts";
import { HandlerId } from "./handler-id.ts";

export const enum FastKind {
  Generic = 0,
  /** rep-prefixed or plain string instruction (execute-string.ts) */
  String,
  MovRegReg,
  MovRegImm,
  MovLoad,
  MovStore,
  MovStoreImm,
  /** ALU ops below take the AluOp in `cc` */
  AluRegReg,
  AluRegImm,
  AluRegMem,
  AluMemReg,
  AluMemImm,
  Lea,
  PushReg,
  PopReg,
  PushImm,
  CallRel,
  Ret,
  JmpRel,
  Jcc,
  IncReg,
  DecReg,
  MovzxLoad8,
  MovsxLoad8,
  MovzxLoad16,
  MovsxLoad16,
  MovzxReg8,
  /** shl/shr/sar by an immediate; ShiftOp in `cc` */
  ShiftRegImm,
  ImulRegReg,
  ImulRegRegImm,
  CmovRegReg,
  TestRegReg,
  Nop,
}

export const enum AluOp {
  Add = 0,
  Or = 1,
  Adc = 2,
  Sbb = 3,
  And = 4,
  Sub = 5,
  Xor = 6,
  Cmp = 7,
}

export const enum ShiftOp {
  Shl = 0,
  Shr = 1,
  Sar = 2,
}

function aluOpOf(handler: number): number {
  switch (handler) {
    case HandlerId.Add:
      return AluOp.Add;
    case HandlerId.Or:
      return AluOp.Or;
    case HandlerId.Adc:
      return AluOp.Adc;
    case HandlerId.Sbb:
      return AluOp.Sbb;
    case HandlerId.And:
      return AluOp.And;
    case HandlerId.Sub:
      return AluOp.Sub;
    case HandlerId.Xor:
      return AluOp.Xor;
    case HandlerId.Cmp:
      return AluOp.Cmp;
    default:
      return -1;
  }
}

function isRegister(location: number): boolean {
  return location < 8;
}

export function chooseFastKind(d: DecodedInstructions, slot: number): FastKind {
  const handler = d.handler[slot]!;
  const dst = d.dst[slot]!;
  const src = d.src[slot]!;
  switch (handler) {
    case HandlerId.Movs:
    case HandlerId.Cmps:
    case HandlerId.Stos:
    case HandlerId.Lods:
    case HandlerId.Scas:
      return FastKind.String;
    case HandlerId.Nop:
      return FastKind.Nop;
    case HandlerId.Jcc:
      return d.size[slot] === 16 ? FastKind.Generic : FastKind.Jcc;
    case HandlerId.Jmp:
      return src === LOCATION_NONE && dst === LOCATION_NONE && d.size[slot] === 32
        ? FastKind.JmpRel
        : FastKind.Generic;
    case HandlerId.Call:
      return dst === LOCATION_NONE && d.size[slot] === 32 ? FastKind.CallRel : FastKind.Generic;
    case HandlerId.Ret:
      return d.imm[slot] === 0 ? FastKind.Ret : FastKind.Generic;
  }
  if (d.size[slot] !== 32) return FastKind.Generic;
  switch (handler) {
    case HandlerId.Mov:
      if (isRegister(dst)) {
        if (isRegister(src)) return FastKind.MovRegReg;
        if (src === LOCATION_IMMEDIATE) return FastKind.MovRegImm;
        return FastKind.MovLoad;
      }
      if (isRegister(src)) return FastKind.MovStore;
      return src === LOCATION_IMMEDIATE ? FastKind.MovStoreImm : FastKind.Generic;
    case HandlerId.Lea:
      return FastKind.Lea;
    case HandlerId.Push:
      if (isRegister(dst)) return FastKind.PushReg;
      return dst === LOCATION_NONE ? FastKind.PushImm : FastKind.Generic;
    case HandlerId.Pop:
      return isRegister(dst) ? FastKind.PopReg : FastKind.Generic;
    case HandlerId.Inc:
      return isRegister(dst) ? FastKind.IncReg : FastKind.Generic;
    case HandlerId.Dec:
      return isRegister(dst) ? FastKind.DecReg : FastKind.Generic;
    case HandlerId.Test:
      return isRegister(dst) && isRegister(src) ? FastKind.TestRegReg : FastKind.Generic;
    case HandlerId.Imul:
      if (!isRegister(src)) return FastKind.Generic;
      return rowOperandCount[d.row[slot]!] === 3 ? FastKind.ImulRegRegImm : FastKind.ImulRegReg;
    case HandlerId.Cmovcc:
      return isRegister(src) ? FastKind.CmovRegReg : FastKind.Generic;
    case HandlerId.Shl:
    case HandlerId.Shr:
    case HandlerId.Sar:
      if (!isRegister(dst) || src !== LOCATION_IMMEDIATE || d.imm[slot]! < 0) {
        return FastKind.Generic;
      }
      d.cc[slot] =
        handler === HandlerId.Shl
          ? ShiftOp.Shl
          : handler === HandlerId.Shr
            ? ShiftOp.Shr
            : ShiftOp.Sar;
      return FastKind.ShiftRegImm;
    case HandlerId.Movzx:
    case HandlerId.Movsx:
      return chooseExtension(d, slot, handler === HandlerId.Movzx);
  }
  const aluOp = aluOpOf(handler);
  if (aluOp < 0) return FastKind.Generic;
  d.cc[slot] = aluOp;
  if (isRegister(dst)) {
    if (isRegister(src)) return FastKind.AluRegReg;
    return src === LOCATION_IMMEDIATE ? FastKind.AluRegImm : FastKind.AluRegMem;
  }
  if (isRegister(src)) return FastKind.AluMemReg;
  return FastKind.AluMemImm;
}

function chooseExtension(d: DecodedInstructions, slot: number, zeroExtend: boolean): FastKind {
  const src = d.src[slot]!;
  const fromWord = rowOperandBits[d.row[slot]! * 3 + 1] === 16;
  if (src === LOCATION_MEMORY) {
    if (fromWord) return zeroExtend ? FastKind.MovzxLoad16 : FastKind.MovsxLoad16;
    return zeroExtend ? FastKind.MovzxLoad8 : FastKind.MovsxLoad8;
  }
  return zeroExtend && !fromWord ? FastKind.MovzxReg8 : FastKind.Generic;
}

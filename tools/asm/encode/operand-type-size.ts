// The size in bits that an ISA operand type fixes, for the encoder (does a source operand's
// size match this form?) and the disassembler (which `byte`/`word`/`dword` to write).
// Types that fix no size (`m` for lea, `cl`, `dx`, the constant 1) are absent.

import type { OperandType } from "../../../vm/cpu/isa.ts";
import type { RegisterSizeBits } from "../registers.ts";

export const operandTypeSizeBits: Readonly<Partial<Record<OperandType, RegisterSizeBits>>> = {
  r8: 8,
  r16: 16,
  r32: 32,
  rm8: 8,
  rm16: 16,
  rm32: 32,
  rm32Register: 32,
  moffs8: 8,
  moffs16: 16,
  moffs32: 32,
  imm8: 8,
  imm16: 16,
  imm32: 32,
  simm8: 8,
  rel8: 8,
  rel16: 16,
  rel32: 32,
  al: 8,
  ax: 16,
  eax: 32,
};

// From parsed operands to the encoder's operands for one pass: immediates and memory
// references evaluated, base/index/scale chosen (effective-address.ts). It also carries one
// NASM rule the encoder cannot see: a value relative to a section (a label, `$`, `$$`) is
// relocatable, and NASM never puts a relocatable value in a disp8 or a sign-extended imm8,
// even in a flat binary where its final value would fit. Such operands get an explicit
// displacement size, or `strict` with the operation size, so the encoder picks the full form.

import { isaRows, mnemonicAliases } from "../../../vm/cpu/isa.ts";
import {
  type BaseRegisterHint,
  type EvaluationEnvironment,
  evaluate,
} from "../expression/evaluate.ts";
import type { Operand, OperandSize } from "../instruction.ts";
import type { OperandSyntax } from "../parser/statement.ts";
import { generalRegister } from "../registers.ts";
import { effectiveAddress } from "./effective-address.ts";

/** What the evaluation of an operand needs to know about its instruction. */
export interface InstructionContext {
  readonly mnemonic: string;
  readonly operands: readonly OperandSyntax[];
  readonly bits: 16 | 32;
}

/** Mnemonics with a sign-extended imm8 form (add ... cmp, push, imul): the only choice at stake. */
const signedByteMnemonics: ReadonlySet<string> = new Set(
  isaRows.filter((row) => row.operands.includes("simm8")).map((row) => row.mnemonic),
);

function hasSignedByteForm(mnemonic: string): boolean {
  return signedByteMnemonics.has(mnemonicAliases.get(mnemonic) ?? mnemonic);
}

/** The operation size NASM would infer: the first sized register or memory operand. */
function operationSize(context: InstructionContext): OperandSize {
  for (const operand of context.operands) {
    if (operand.kind === "reg") {
      const size = generalRegister(operand.name)?.sizeBits;
      if (size !== undefined) return size;
    } else if (operand.kind === "mem" && operand.size !== undefined) {
      return operand.size;
    }
  }
  return context.bits;
}

function fitsSignedByte(value: bigint, sizeBits: number): boolean {
  const signed = BigInt.asIntN(sizeBits, value);
  return signed >= -128n && signed <= 127n;
}

/** A 64-bit value as a JS number: exact when it can be, else its low 32 bits (signed). */
function toNumber(value: bigint): number {
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  return Number(BigInt.asIntN(32, value));
}

/** The encoder's operand, or an error message; undefined after an evaluation error. */
export function operandValue(
  syntax: OperandSyntax,
  context: InstructionContext,
  env: EvaluationEnvironment,
  hint: BaseRegisterHint,
): Operand | string | undefined {
  switch (syntax.kind) {
    case "reg":
      return { kind: "reg", name: syntax.name };
    case "imm": {
      const value = evaluate(syntax.expr, env);
      if (!value) return undefined;
      if (value.registers) return "registers can only be used inside [ ] in an expression";
      let size = syntax.size;
      let strict = syntax.strict;
      if (value.relocations && !value.unknown && hasSignedByteForm(context.mnemonic)) {
        const sizeBits = size ?? operationSize(context);
        if (sizeBits !== 64 && fitsSignedByte(value.constant, sizeBits)) {
          size = sizeBits;
          strict = true;
        }
      }
      return {
        kind: "imm",
        value: toNumber(value.constant),
        known: !value.unknown,
        ...(size === undefined ? {} : { size }),
        ...(strict ? { strict: true } : {}),
        ...(syntax.distance === undefined ? {} : { distance: syntax.distance }),
      };
    }
    case "mem": {
      const value = evaluate(syntax.expr, env, hint);
      if (!value) return undefined;
      const address = effectiveAddress(value, hint);
      if (typeof address === "string") return address;
      let dispSize = syntax.dispSize;
      const register = address.base ?? address.index;
      if (dispSize === undefined && value.relocations && register !== undefined) {
        dispSize = generalRegister(register)?.sizeBits === 16 ? 16 : 32;
      }
      return {
        kind: "mem",
        ...address,
        dispKnown: !value.unknown,
        ...(syntax.size === undefined ? {} : { size: syntax.size }),
        ...(dispSize === undefined ? {} : { dispSize }),
        ...(syntax.segment === undefined ? {} : { segment: syntax.segment }),
      };
    }
  }
}

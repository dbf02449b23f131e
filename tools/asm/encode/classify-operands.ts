// Resolves register names in a source instruction's operands once, so matching against the
// encoding forms compares numbers and sizes instead of strings. Registers outside the
// general, segment, control and debug sets are refused here with the operand's index.

import type { ImmediateOperand, MemoryOperand, Operand } from "../instruction.ts";
import {
  type GeneralRegister,
  generalRegister,
  isUnsupportedRegister,
  type SystemRegister,
  systemRegister,
} from "../registers.ts";

export type ClassifiedOperand =
  | { readonly kind: "reg"; readonly register: GeneralRegister }
  | { readonly kind: "systemReg"; readonly register: SystemRegister }
  | { readonly kind: "mem"; readonly memory: MemoryOperand }
  | { readonly kind: "imm"; readonly immediate: ImmediateOperand };

export type ClassifyResult =
  | { ok: true; operands: ClassifiedOperand[] }
  | { ok: false; message: string; operandIndex: number };

export function classifyOperands(operands: readonly Operand[]): ClassifyResult {
  const classified: ClassifiedOperand[] = [];
  for (const [operandIndex, operand] of operands.entries()) {
    if (operand.kind === "reg") {
      const register = generalRegister(operand.name);
      const system = systemRegister(operand.name);
      if (system !== undefined) {
        classified.push({ kind: "systemReg", register: system });
        continue;
      }
      if (register === undefined) {
        const message = isUnsupportedRegister(operand.name)
          ? `register '${operand.name}' is not supported as an operand (i386 integer subset)`
          : `unknown register '${operand.name}'`;
        return { ok: false, message, operandIndex };
      }
      classified.push({ kind: "reg", register });
    } else if (operand.kind === "mem") {
      classified.push({ kind: "mem", memory: operand });
    } else {
      classified.push({ kind: "imm", immediate: operand });
    }
  }
  return { ok: true, operands: classified };
}

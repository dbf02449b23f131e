// From parsed operands to the encoder's operands for one pass: immediates and memory
// references evaluated, base/index/scale chosen (effective-address.ts). A value relative to
// a section (a label, `$`, `$$`) is marked relocatable; the encoder then keeps it out of the
// short forms NASM reserves for plain numbers (disp8, sign-extended imm8).

import type { Expr } from "../expression/ast.ts";
import {
  type BaseRegisterHint,
  type EvaluationEnvironment,
  evaluate,
} from "../expression/evaluate.ts";
import type { Operand } from "../instruction.ts";
import type { OperandSyntax } from "../parser/statement.ts";
import { effectiveAddress } from "./effective-address.ts";

/** A 64-bit value as a JS number: exact when it can be, else its low 32 bits (signed). */
function toNumber(value: bigint): number {
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  return Number(BigInt.asIntN(32, value));
}

/**
 * True when the symbols in `expr` are added as often as subtracted (`b - a`, `eax+b-a`):
 * the value is then a plain number even before it is known. Walked with an explicit stack.
 */
function symbolsCancel(expr: Expr): boolean {
  let net = 0;
  const pending: { expr: Expr; sign: number }[] = [{ expr, sign: 1 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const node = item.expr;
    if (node.kind === "symbol") net += item.sign;
    else if (node.kind === "here" || node.kind === "base") return false;
    else if (node.kind === "unary" && (node.op === "-" || node.op === "+")) {
      pending.push({ expr: node.operand, sign: node.op === "-" ? -item.sign : item.sign });
    } else if (node.kind === "binary" && (node.op === "+" || node.op === "-")) {
      pending.push({ expr: node.left, sign: item.sign });
      pending.push({ expr: node.right, sign: node.op === "-" ? -item.sign : item.sign });
    } else if (node.kind === "unary" || node.kind === "binary" || node.kind === "conditional") {
      return false;
    }
  }
  return net === 0;
}

/** The encoder's operand, or an error message; undefined after an evaluation error. */
export function operandValue(
  syntax: OperandSyntax,
  env: EvaluationEnvironment,
  hint: BaseRegisterHint,
  /** The section being assembled (undefined in absolute space). */
  section: number | undefined,
  /** Only -Ox starts an unknown difference of labels as disp8 (NASM's multipass optimiser). */
  startShort: boolean,
): Operand | string | undefined {
  switch (syntax.kind) {
    case "reg":
      return { kind: "reg", name: syntax.name };
    case "imm": {
      const value = evaluate(syntax.expr, env);
      if (!value) return undefined;
      if (value.registers) return "registers can only be used inside [ ] in an expression";
      return {
        kind: "imm",
        value: toNumber(value.constant),
        known: !value.unknown,
        ...(syntax.size === undefined ? {} : { size: syntax.size }),
        ...(syntax.strict ? { strict: true } : {}),
        ...(syntax.distance === undefined ? {} : { distance: syntax.distance }),
        ...(value.relocations ? { relocatable: true } : {}),
        ...(value.relocations && [...value.relocations.keys()].some((s) => s !== section)
          ? { otherSection: true }
          : {}),
      };
    }
    case "mem": {
      const value = evaluate(syntax.expr, env, hint);
      if (!value) return undefined;
      const address = effectiveAddress(value, hint);
      if (typeof address === "string") return address;
      return {
        kind: "mem",
        ...address,
        dispKnown: !value.unknown,
        ...(startShort && value.unknown && symbolsCancel(syntax.expr)
          ? { dispConstant: true }
          : {}),
        ...(syntax.size === undefined ? {} : { size: syntax.size }),
        ...(syntax.dispSize === undefined ? {} : { dispSize: syntax.dispSize }),
        ...(syntax.segment === undefined ? {} : { segment: syntax.segment }),
        ...(value.relocations ? { relocatable: true } : {}),
      };
    }
  }
}

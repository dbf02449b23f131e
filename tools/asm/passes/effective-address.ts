// From an evaluated memory expression to base, index, scale and displacement, following NASM's
// rules so that sterna picks the same encoding: register terms are taken in NASM's register
// order (alphabetical) — a coefficient-1 register becomes the base, the next the index — then
// the hint from the written expression swaps them (the first register written is the base,
// unless it was multiplied: `[eax*1+esi]` has base esi), `reg*3/5/9` with no base becomes
// reg+reg*2/4/8, and esp never stays an index with scale 1. The encoder does the rest (`[eax*2]`
// as eax+eax, `[ebp]` with disp8, SIB forms).

import type { BaseRegisterHint, Value } from "../expression/evaluate.ts";
import type { MemoryOperand } from "../instruction.ts";
import { generalRegister } from "../registers.ts";

export type EffectiveAddress = Pick<
  MemoryOperand,
  "base" | "index" | "scale" | "disp" | "absolute"
>;

/** The operand's addressing parts, or an error message. */
export function effectiveAddress(value: Value, hint: BaseRegisterHint): EffectiveAddress | string {
  let base: string | undefined;
  let index: string | undefined;
  let scale = 1n;
  const names = value.registers ? [...value.registers.keys()].sort() : [];
  for (const name of names) {
    const coefficient = value.registers!.get(name)!;
    const general = generalRegister(name) !== undefined;
    if (general && coefficient === 1n && base === undefined) {
      base = name;
    } else if (index === undefined) {
      index = name;
      scale = coefficient;
    } else if (base === undefined) {
      return "invalid effective address: two index registers";
    } else {
      return general
        ? "invalid effective address: too many registers"
        : "invalid effective address: impossible register";
    }
  }
  for (const name of [base, index]) {
    if (name !== undefined && generalRegister(name) === undefined) {
      return `invalid effective address: \`${name}' cannot address memory`;
    }
  }
  if (
    scale === 1n &&
    base !== undefined &&
    index !== undefined &&
    ((hint.type === "notbase" && hint.base === base) ||
      (hint.type === "makebase" && hint.base === index))
  ) {
    [base, index] = [index, base];
  }
  if (base === undefined && index !== undefined && scale === 1n) {
    if (!(hint.type === "notbase" && hint.base === index)) {
      base = index;
      index = undefined;
    }
  }
  if (base === undefined && index !== undefined && (scale === 3n || scale === 5n || scale === 9n)) {
    base = index;
    scale -= 1n;
  }
  if (scale === 1n && index === "esp" && base !== undefined) {
    [base, index] = [index, base];
  }
  if (index !== undefined && scale !== 1n && scale !== 2n && scale !== 4n && scale !== 8n) {
    return "invalid effective address: scale factor must be 1, 2, 4 or 8";
  }
  if (index === "esp") return "invalid effective address: esp cannot be an index register";
  const disp = Number(BigInt.asIntN(32, value.constant));
  return {
    base,
    index,
    scale: index === undefined ? 1 : (Number(scale) as 1 | 2 | 4 | 8),
    disp,
    absolute: base === undefined && index === undefined,
  };
}

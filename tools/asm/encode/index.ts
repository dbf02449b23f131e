// The assembler's instruction encoder: one source instruction -> the bytes NASM 2.16 emits
// for it by default (-Ox), chosen from the ISA table's rows (vm/cpu/isa.ts). Anything the
// table lacks (x87, SSE, segment register moves, far jumps ...) is refused as not supported.

import type { EncodeResult, SourceInstruction } from "../instruction.ts";
import { classifyOperands } from "./classify-operands.ts";
import { lookupForms } from "./mnemonics.ts";
import { parsePrefixes } from "./prefixes.ts";
import { selectEncoding } from "./select-encoding.ts";

export function encodeInstruction(ins: SourceInstruction): EncodeResult {
  const mnemonicForms = lookupForms(ins.mnemonic, ins.bits);
  if (mnemonicForms === undefined) {
    return {
      ok: false,
      message: `instruction '${ins.mnemonic}' is not supported (sterna assembles the i386 integer subset)`,
    };
  }
  const prefixes = parsePrefixes(ins.prefixes);
  if (!prefixes.ok) return prefixes;
  const classified = classifyOperands(ins.operands);
  if (!classified.ok) return classified;
  return selectEncoding(mnemonicForms, classified.operands, ins.bits, ins.address, prefixes.slots);
}

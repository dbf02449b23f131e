// The assembler's instruction encoder: one source instruction -> the bytes NASM 2.16 emits
// for it by default (-Ox), chosen from the ISA table's rows (vm/cpu/isa.ts). Anything the
// table lacks (x87, SSE, far jumps, test registers ...) is refused as not supported.

import type { EncodeResult, Operand, SourceInstruction } from "../instruction.ts";
import { isSegmentRegister } from "../registers.ts";
import { type ClassifiedOperand, classifyOperands } from "./classify-operands.ts";
import { type EffectiveAddress, encodeEffectiveAddress } from "./effective-address.ts";
import type { EncodingForm } from "./encoding-forms.ts";
import { lookupForms, resolveMnemonic } from "./mnemonics.ts";
import { type PrefixSlots, parsePrefixes, repnePrefixByte } from "./prefixes.ts";
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
  const classified = classifyOperands(withDefaultOperands(ins));
  if (!classified.ok) return classified;
  if (refusesRepneOnMemory(mnemonicForms.forms, classified.operands, prefixes.slots)) {
    return { ok: false, message: `${prefixes.slots.repeatOrLockName} prefix is not allowed` };
  }
  const addresses = encodeMemoryOperands(classified.operands, ins.bits, prefixes.slots);
  if (!Array.isArray(addresses)) return addresses;
  return selectEncoding(
    mnemonicForms,
    classified.operands,
    addresses,
    ins.bits,
    ins.address,
    prefixes.slots,
    ins.optimization,
  );
}

/** NASM's `aam` and `aad` without an operand are base 10 (D4 0A, D5 0A). */
function withDefaultOperands(ins: SourceInstruction): readonly Operand[] {
  const mnemonic = resolveMnemonic(ins.mnemonic, ins.bits);
  if ((mnemonic === "aam" || mnemonic === "aad") && ins.operands.length === 0) {
    return [{ kind: "imm", value: 10, known: true }];
  }
  return ins.operands;
}

/**
 * An indirect near branch through memory refuses `repne` (NASM's BND) before NASM looks at the
 * address, so `repne jmp [esp+esp]` is refused for its prefix, not for its address.
 */
function refusesRepneOnMemory(
  forms: readonly EncodingForm[],
  operands: readonly ClassifiedOperand[],
  slots: PrefixSlots,
): boolean {
  if (slots.repeatOrLockByte !== repnePrefixByte) return false;
  if (!operands.some((operand) => operand.kind === "mem")) return false;
  const memoryForms = forms.filter((form) => form.row.operands.some((t) => t.startsWith("rm")));
  return memoryForms.length > 0 && memoryForms.every((form) => form.refusesRepne === "always");
}

/**
 * NASM judges addresses and segment overrides before it looks for a matching form, so an
 * impossible address is reported as such whatever the other operands are. The addresses,
 * by source operand index, are what every candidate form then lays out.
 */
function encodeMemoryOperands(
  operands: readonly ClassifiedOperand[],
  bits: 16 | 32,
  slots: PrefixSlots,
): (EffectiveAddress | undefined)[] | Extract<EncodeResult, { ok: false }> {
  const addresses: (EffectiveAddress | undefined)[] = [];
  for (const [operandIndex, operand] of operands.entries()) {
    addresses.push(undefined);
    if (operand.kind !== "mem") continue;
    const segment = operand.memory.segment;
    if (segment !== undefined && !isSegmentRegister(segment)) {
      return { ok: false, message: `'${segment}' is not a segment register`, operandIndex };
    }
    // Even the same segment written twice is refused.
    if (operand.memory.segment !== undefined && slots.segment !== undefined) {
      return { ok: false, message: "instruction has conflicting segment overrides", operandIndex };
    }
    const address = encodeEffectiveAddress(operand.memory, bits, slots.addressSizeBits);
    if (!address.ok) return { ok: false, message: address.message, operandIndex };
    addresses[operandIndex] = address.address;
  }
  return addresses;
}

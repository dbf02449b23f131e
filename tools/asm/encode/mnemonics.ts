// Turns a written mnemonic into the row mnemonic of the ISA table: the table's own aliases
// (jz -> je, sal -> shl ...) plus NASM's size-neutral names, which follow `bits`
// (pusha is pushad in 32-bit code and pushaw in 16-bit code).

import { mnemonicAliases } from "../../../vm/cpu/isa.ts";
import { formsForMnemonic, type MnemonicForms } from "./encoding-forms.ts";

const sizeNeutralNames: ReadonlyMap<string, readonly [string, string]> = new Map([
  ["pusha", ["pushaw", "pushad"]],
  ["popa", ["popaw", "popad"]],
  ["pushf", ["pushfw", "pushfd"]],
  ["popf", ["popfw", "popfd"]],
]);

export function resolveMnemonic(written: string, bits: 16 | 32): string {
  const lower = written.toLowerCase();
  const sized = sizeNeutralNames.get(lower);
  if (sized !== undefined) return bits === 16 ? sized[0] : sized[1];
  return mnemonicAliases.get(lower) ?? lower;
}

export function lookupForms(written: string, bits: 16 | 32): MnemonicForms | undefined {
  return formsForMnemonic(resolveMnemonic(written, bits));
}

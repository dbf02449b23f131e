// Lays out the bytes of one chosen encoding form: prefixes in NASM's order, opcode (+r),
// ModRM, SIB, displacement, then immediates and relative targets in operand order.
// Relative targets are measured from the end of the whole instruction.

import type { OperandType } from "../../../vm/cpu/isa.ts";
import type { MemoryOperand } from "../instruction.ts";
import type { ClassifiedOperand } from "./classify-operands.ts";
import type { EffectiveAddress } from "./effective-address.ts";
import type { EncodingForm } from "./encoding-forms.ts";
import { pushLittleEndian } from "./immediate-value.ts";
import {
  addressSizePrefixByte,
  operandSizePrefixByte,
  type PrefixSlots,
  repnePrefixByte,
  segmentPrefixByte,
} from "./prefixes.ts";

export type EmitResult =
  | { ok: true; bytes: number[]; relativeDisplacement?: number }
  | { ok: false; message: string; operandIndex?: number };

const immediateBytes: Partial<Record<OperandType, number>> = {
  imm8: 1,
  simm8: 1,
  imm16: 2,
  imm32: 4,
};
const relativeBytes: Partial<Record<OperandType, number>> = { rel8: 1, rel16: 2, rel32: 4 };

function findMemory(form: EncodingForm, operands: readonly ClassifiedOperand[]): number {
  return form.sourceIndex.findIndex((source) => operands[source]!.kind === "mem");
}

function registerNumber(
  form: EncodingForm,
  operands: readonly ClassifiedOperand[],
  types: (t: OperandType) => boolean,
): number {
  for (let position = 0; position < form.row.operands.length; position++) {
    const operand = operands[form.sourceIndex[position]!]!;
    const isRegister = operand.kind === "reg" || operand.kind === "systemReg";
    if (types(form.row.operands[position]!) && isRegister) return operand.register.number;
  }
  return 0;
}

const registerFieldTypes: ReadonlySet<OperandType> = new Set([
  "r8",
  "r16",
  "r32",
  "sreg",
  "creg",
  "dreg",
]);
const rmFieldTypes: ReadonlySet<OperandType> = new Set([
  "rm8",
  "rm16",
  "rm32",
  "m",
  "rm32Register",
]);
const isRegisterField = (t: OperandType): boolean => registerFieldTypes.has(t);
const isRmField = (t: OperandType): boolean => rmFieldTypes.has(t);

/**
 * `memoryAddresses` holds each memory operand's encoded address, by source operand index; a
 * moffs form writes it as a bare offset instead of ModRM/SIB.
 */
export function emitForm(
  form: EncodingForm,
  operands: readonly ClassifiedOperand[],
  memoryAddresses: readonly (EffectiveAddress | undefined)[],
  bits: 16 | 32,
  address: number,
  slots: PrefixSlots,
): EmitResult {
  const { row } = form;
  const memoryPosition = findMemory(form, operands);
  const memorySource = memoryPosition >= 0 ? form.sourceIndex[memoryPosition]! : -1;
  const memory =
    memorySource >= 0 ? (operands[memorySource] as { memory: MemoryOperand }).memory : undefined;
  let effectiveAddress = memorySource >= 0 ? memoryAddresses[memorySource] : undefined;
  if (effectiveAddress !== undefined && row.operands[memoryPosition]!.startsWith("moffs")) {
    const sizeBytes = effectiveAddress.addressSizeBits === 16 ? 2 : 4;
    effectiveAddress = { ...effectiveAddress, sib: -1, dispSizeBytes: sizeBytes };
  }
  const writtenShort = operands.some(
    (op) => op.kind === "imm" && op.immediate.distance === "short",
  );
  const refusesRepne =
    form.refusesRepne === "always" || (form.refusesRepne === "whenShort" && writtenShort);
  if (refusesRepne && slots.repeatOrLockByte === repnePrefixByte) {
    return { ok: false, message: `${slots.repeatOrLockName} prefix is not allowed` };
  }

  const bytes: number[] = [];
  if (slots.repeatOrLockByte !== undefined) bytes.push(slots.repeatOrLockByte);
  const segment = memory?.segment ?? slots.segment;
  if (segment !== undefined) bytes.push(segmentPrefixByte(segment));
  // Moves of control and debug registers are 32-bit in every mode: no 0x66 in `bits 16`.
  const rowNeedsSizePrefix =
    (row.operandSize === 16 || row.operandSize === 32) &&
    row.operandSize !== bits &&
    !row.operands.includes("rm32Register");
  if (slots.operandSizeBits !== undefined ? slots.operandSizeBits !== bits : rowNeedsSizePrefix) {
    bytes.push(operandSizePrefixByte);
  }
  const ecxCount = form.countsWithEcx && bits === 16 ? 32 : undefined;
  const addressSizeBits =
    effectiveAddress?.addressSizeBits ?? ecxCount ?? slots.addressSizeBits ?? bits;
  if (addressSizeBits !== bits) bytes.push(addressSizePrefixByte);

  bytes.push(...row.opcode);
  if (row.plusReg) bytes[bytes.length - 1]! += registerNumber(form, operands, isRegisterField);
  if (row.modrm !== "none") {
    const reg = row.modrm === "digit" ? row.digit : registerNumber(form, operands, isRegisterField);
    if (effectiveAddress === undefined) {
      bytes.push(0xc0 | (reg << 3) | registerNumber(form, operands, isRmField));
    } else {
      bytes.push((effectiveAddress.mod << 6) | (reg << 3) | effectiveAddress.rm);
      if (effectiveAddress.sib >= 0) bytes.push(effectiveAddress.sib);
    }
  }
  if (effectiveAddress !== undefined) {
    pushLittleEndian(bytes, effectiveAddress.disp, effectiveAddress.dispSizeBytes);
  }

  let relativePosition = -1;
  for (let position = 0; position < row.operands.length; position++) {
    const type = row.operands[position]!;
    const operand = operands[form.sourceIndex[position]!]!;
    if (operand.kind !== "imm") continue;
    const size = immediateBytes[type];
    if (size !== undefined) pushLittleEndian(bytes, operand.immediate.value, size);
    if (relativeBytes[type] !== undefined) relativePosition = position;
  }
  if (relativePosition < 0) return { ok: true, bytes };

  const sizeBytes = relativeBytes[row.operands[relativePosition]!]!;
  const target = operands[form.sourceIndex[relativePosition]!]! as { immediate: { value: number } };
  const end = address + bytes.length + sizeBytes;
  const relativeDisplacement = target.immediate.value - end;
  pushLittleEndian(bytes, relativeDisplacement, sizeBytes);
  return { ok: true, bytes, relativeDisplacement };
}

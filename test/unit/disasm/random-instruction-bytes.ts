// Random but well-formed instruction bytes built from the ISA table, for the round-trip
// property: a row, prefixes it may carry (in NASM's order or shuffled), a register or any
// ModRM/SIB/displacement (32-bit, or 16-bit after 0x67), then immediates and relative
// targets of the row's sizes. Non-canonical encodings are welcome: the disassembler must
// write those as `db`.

import fc from "fast-check";
import { type IsaRow, isaRows } from "../../../vm/cpu/isa.ts";

export interface InstructionChoice {
  readonly rowIndex: number;
  readonly register: number;
  readonly modrm: number;
  readonly sib: number;
  /** Bytes for displacements, immediates and targets (taken in order). */
  readonly tail: readonly number[];
  readonly segment: number;
  readonly useSegment: boolean;
  readonly useRepeat: boolean;
  readonly useRepne: boolean;
  readonly useLock: boolean;
  readonly useOperandSize: boolean;
  readonly useAddressSize: boolean;
  readonly prefixOrder: readonly number[];
}

export const instructionChoice: fc.Arbitrary<InstructionChoice> = fc.record({
  rowIndex: fc.nat(isaRows.length - 1),
  register: fc.nat(7),
  modrm: fc.nat(255),
  sib: fc.nat(255),
  tail: fc.array(fc.nat(255), { minLength: 16, maxLength: 16 }),
  segment: fc.nat(5),
  useSegment: fc.boolean(),
  useRepeat: fc.boolean(),
  useRepne: fc.boolean(),
  useLock: fc.boolean(),
  useOperandSize: fc.boolean(),
  useAddressSize: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  prefixOrder: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
});

const segmentBytes = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];
const immediateBytes: Record<string, number> = {
  imm8: 1,
  simm8: 1,
  rel8: 1,
  imm16: 2,
  rel16: 2,
  imm32: 4,
  rel32: 4,
};

function prefixes(row: IsaRow, choice: InstructionChoice): number[] {
  const slots: (number | undefined)[] = [undefined, undefined, undefined, undefined];
  if (choice.useRepeat && row.prefixes.some((p) => p !== "lock")) {
    slots[0] = choice.useRepne && row.prefixes.includes("repne") ? 0xf2 : 0xf3;
  } else if (choice.useLock && row.prefixes.includes("lock")) {
    slots[0] = 0xf0;
  }
  if (choice.useSegment) slots[1] = segmentBytes[choice.segment];
  const needsOperandSize = row.operandSize === 16;
  if (
    needsOperandSize ||
    (choice.useOperandSize && (row.operandSize === 0 || row.operandSize === 8))
  )
    slots[2] = 0x66;
  if (choice.useAddressSize) slots[3] = 0x67;
  const canonical = choice.prefixOrder[0]! < 2;
  const order = canonical ? [0, 1, 2, 3] : choice.prefixOrder;
  return order.map((i) => slots[i]).filter((b) => b !== undefined);
}

export function instructionBytes(choice: InstructionChoice): Uint8Array {
  const row = isaRows[choice.rowIndex]!;
  const out = prefixes(row, choice);
  const sixteenBitAddress = out.includes(0x67);
  const tail = [...choice.tail];
  const take = (count: number) => out.push(...tail.splice(0, count));
  out.push(...row.opcode);
  if (row.plusReg) out[out.length - 1]! += choice.register;
  if (row.modrm !== "none") {
    let modrm = choice.modrm;
    if (row.modrm === "digit") modrm = (modrm & 0xc7) | (row.digit << 3);
    // Rows whose r/m must be memory (lea) get a memory form.
    if (row.operands.includes("m") && modrm >> 6 === 3) modrm &= 0x3f;
    out.push(modrm);
    const mod = modrm >> 6;
    const rm = modrm & 7;
    if (mod !== 3 && sixteenBitAddress) {
      take(mod === 1 ? 1 : mod === 2 || (mod === 0 && rm === 6) ? 2 : 0);
    } else if (mod !== 3) {
      const hasSib = rm === 4;
      if (hasSib) out.push(choice.sib);
      const baseless = mod === 0 && (hasSib ? (choice.sib & 7) === 5 : rm === 5);
      take(mod === 1 ? 1 : mod === 2 || baseless ? 4 : 0);
    }
  }
  for (const type of row.operands) {
    if (type.startsWith("moffs")) take(sixteenBitAddress ? 2 : 4);
    else take(immediateBytes[type] ?? 0);
  }
  return Uint8Array.from(out);
}

// Test fixture: NASM source text that selects a given isa.ts row, used to record nasm's
// encoding of every row (record-isa-encodings.ts). Memory operands are [ebx+4]; immediates
// are chosen so nasm cannot pick a shorter form than the row's.

import type { IsaRow, OperandType } from "../../../vm/cpu/isa.ts";

const segmentNames: readonly string[] = ["es", "cs", "ss", "ds", "fs", "gs"];

const operandText: Record<OperandType, string> = {
  r8: "cl",
  r16: "cx",
  r32: "ecx",
  rm8: "byte [ebx+4]",
  rm16: "word [ebx+4]",
  rm32: "dword [ebx+4]",
  m: "[ebx+4]",
  imm8: "5",
  imm16: "0x1234",
  imm32: "0x12345678",
  simm8: "byte -5",
  rel8: "short $+0x10",
  rel16: "word $+0x100",
  rel32: "near $+0x1000",
  moffs8: "[0x1234]",
  moffs16: "[0x1234]",
  moffs32: "[0x1234]",
  al: "al",
  ax: "ax",
  eax: "eax",
  cl: "cl",
  dx: "dx",
  one: "1",
  sreg: "ds",
  sregOpcode: "ds",
  creg: "cr3",
  dreg: "dr7",
  rm32Register: "ecx",
};

/** One line of NASM source meant to assemble to `row`. */
export function sourceForRow(row: IsaRow): string {
  const operands = row.operands.map((type) => operandText[type]);
  if (row.plusReg) {
    // The register encoded in the opcode: use ecx/cx/cl so the byte is base + 1.
    const index = row.operands.findIndex((t) => t === "r8" || t === "r16" || t === "r32");
    operands[index] = operandText[row.operands[index]!];
  }
  if (row.handler === "push" && row.operandSize === 16 && row.operands[0] === "simm8") {
    return "o16 push byte -5";
  }
  if (row.handler === "push" && row.operandSize === 16 && row.operands[0] === "imm16") {
    return "push word 0x1234";
  }
  if (row.handler === "jcc" && row.operands[0] === "rel16")
    return `${row.mnemonic} near word $+0x100`;
  if (["jecxz", "loop", "loope", "loopne"].includes(row.handler)) {
    return `${row.mnemonic} $+0x10`;
  }
  if (row.handler === "nop" && row.operands.length === 0) return "nop";
  if (row.handler === "pushSegment" || row.handler === "popSegment") {
    const name = segmentNames[(row.opcode[row.opcode.length - 1]! >> 3) & 7];
    return `${row.operandSize === 16 ? "o16 " : ""}${row.mnemonic} ${name}`;
  }
  // NASM writes a segment register to memory without 0x66 unless o16 says so.
  if (row.handler === "movFromSegment") {
    return `${row.operandSize === 16 ? "o16 " : ""}mov [ebx+4], ds`;
  }
  const sizeless = row.operands.length === 0 && row.operandSize === 16 && !/w$/.test(row.mnemonic);
  return `${sizeless ? "o16 " : ""}${row.mnemonic} ${operands.join(", ")}`.trim();
}

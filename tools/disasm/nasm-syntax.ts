// Writes a source instruction as one line of NASM syntax, spelling out every choice the
// instruction carries (strict, size and distance keywords, displacement sizes, segment
// overrides, prefixes) so that NASM reads back exactly the same instruction.
// Numbers are hexadecimal; jump targets are absolute, or `$`-relative on request.

import type {
  ImmediateOperand,
  MemoryOperand,
  Operand,
  SourceInstruction,
} from "../asm/instruction.ts";

const sizeKeywords: Readonly<Record<number, string>> = {
  8: "byte",
  16: "word",
  32: "dword",
  64: "qword",
};

export interface NasmSyntaxOptions {
  /** Write jump targets as `$+0x..` instead of absolute addresses (labels to NASM). */
  readonly relativeTargets?: boolean;
}

function hex(value: number): string {
  return value < 0 ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}

function signedTerm(value: number): string {
  return value < 0 ? `-${hex(-value)}` : `+${hex(value)}`;
}

function formatImmediate(
  imm: ImmediateOperand,
  address: number,
  options: NasmSyntaxOptions,
  isJump: boolean,
): string {
  const words: string[] = [];
  if (imm.strict) words.push("strict");
  if (imm.distance !== undefined) words.push(imm.distance);
  if (imm.size !== undefined) words.push(sizeKeywords[imm.size]!);
  if (isJump && options.relativeTargets) {
    const offset = imm.value - address;
    words.push(offset === 0 ? "$" : `$${signedTerm(offset)}`);
  } else {
    words.push(hex(imm.value));
  }
  return words.join(" ");
}

function formatMemory(mem: MemoryOperand): string {
  let inside = mem.segment === undefined ? "" : `${mem.segment}:`;
  if (mem.dispSize !== undefined) inside += `${sizeKeywords[mem.dispSize]} `;
  const terms: string[] = [];
  if (mem.base !== undefined) terms.push(mem.base);
  if (mem.index !== undefined)
    terms.push(mem.scale === 1 && mem.base !== undefined ? mem.index : `${mem.index}*${mem.scale}`);
  if (terms.length === 0) {
    inside += hex(mem.disp);
  } else {
    inside += terms.join("+");
    if (mem.disp !== 0 || mem.dispSize !== undefined) inside += signedTerm(mem.disp);
  }
  const size = mem.size === undefined ? "" : `${sizeKeywords[mem.size]} `;
  return `${size}[${inside}]`;
}

export function formatOperand(
  operand: Operand,
  address: number,
  options: NasmSyntaxOptions,
  isJump: boolean,
): string {
  switch (operand.kind) {
    case "reg":
      return operand.name;
    case "mem":
      return formatMemory(operand);
    case "imm":
      return formatImmediate(operand, address, options, isJump);
  }
}

const jumpMnemonic = /^(j|call$|loop)/;

/** Jumps, calls and loops, whose immediate is a target address rather than a value. */
export function isJumpMnemonic(mnemonic: string): boolean {
  return jumpMnemonic.test(mnemonic);
}

export function formatInstruction(ins: SourceInstruction, options: NasmSyntaxOptions = {}): string {
  const isJump = isJumpMnemonic(ins.mnemonic);
  // NASM 2.16 refuses `repne` (its BND prefix) on a jump to a bare number ("repne prefix is
  // not allowed") but takes the same target written from `$`.
  const spelled =
    isJump && ins.prefixes.includes("repne") ? { ...options, relativeTargets: true } : options;
  const operands = ins.operands.map((op) => formatOperand(op, ins.address, spelled, isJump));
  const head = [...ins.prefixes, ins.mnemonic].join(" ");
  return operands.length === 0 ? head : `${head} ${operands.join(", ")}`;
}

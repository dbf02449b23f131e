// A minimal reader of single NASM instruction lines, for the encoder and disassembler tests
// only (the real front end is tools/asm). It reads what tools/disasm/nasm-syntax.ts writes:
// prefixes, size/strict/distance keywords, numbers (hex, decimal, negative), `$`-relative
// targets, and `[seg:size base+index*scale+disp]`. No expressions, labels or macros.

import type { Operand, OperandSize, SourceInstruction } from "../../../tools/asm/instruction.ts";

const prefixNames = new Set([
  "rep",
  "repe",
  "repz",
  "repne",
  "repnz",
  "lock",
  "o16",
  "o32",
  "a16",
  "a32",
  "es",
  "cs",
  "ss",
  "ds",
  "fs",
  "gs",
]);
const sizes: Record<string, OperandSize> = { byte: 8, word: 16, dword: 32, qword: 64 };
const registerPattern = /^(e?[abcd]x|[abcd][lh]|e?[sd]i|e?[sb]p|[c-gs]s|[cdt]r\d|st\d|x?mm\d)$/;

function parseNumber(text: string, address: number): number {
  const trimmed = text.replace(/\s+/g, "");
  if (trimmed.startsWith("$")) {
    return trimmed === "$" ? address : address + parseNumber(trimmed.slice(1), address);
  }
  const negative = trimmed.startsWith("-");
  const body = trimmed.replace(/^[+-]/, "");
  const value = /^0x/i.test(body) ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body, 10);
  if (Number.isNaN(value)) throw new Error(`not a number: '${text}'`);
  return negative ? -value : value;
}

function parseMemory(inside: string, size: OperandSize | undefined): Operand {
  let rest = inside.trim();
  let segment: string | undefined;
  const segmentMatch = /^([c-gs]s)\s*:/.exec(rest);
  if (segmentMatch) {
    segment = segmentMatch[1];
    rest = rest.slice(segmentMatch[0].length).trim();
  }
  let dispSize: 8 | 16 | 32 | undefined;
  const sizeMatch = /^(byte|word|dword)\s+/.exec(rest);
  if (sizeMatch) {
    dispSize = sizes[sizeMatch[1]!] as 8 | 16 | 32;
    rest = rest.slice(sizeMatch[0].length);
  }
  let base: string | undefined;
  let index: string | undefined;
  let scale: 1 | 2 | 4 | 8 = 1;
  let disp = 0;
  let registers = 0;
  for (const term of rest
    .replace(/-/g, "+-")
    .split("+")
    .map((t) => t.trim())
    .filter((t) => t !== "")) {
    const scaled = /^([a-z]+)\s*\*\s*(\d)$/.exec(term);
    if (scaled) {
      index = scaled[1];
      scale = Number(scaled[2]) as 1 | 2 | 4 | 8;
      registers++;
    } else if (registerPattern.test(term)) {
      if (base === undefined && (registers === 0 || index !== undefined)) base = term;
      else index = term;
      registers++;
    } else {
      disp += parseNumber(term, 0);
    }
  }
  return {
    kind: "mem",
    size,
    base,
    index,
    scale,
    disp,
    dispKnown: true,
    dispSize,
    segment,
    absolute: registers === 0,
  };
}

function parseOperand(text: string, address: number): Operand {
  let rest = text.trim();
  let size: OperandSize | undefined;
  let strict = false;
  let distance: "short" | "near" | undefined;
  for (;;) {
    const word = /^(strict|short|near|byte|word|dword|qword)\b\s*/.exec(rest);
    if (!word) break;
    if (word[1] === "strict") strict = true;
    else if (word[1] === "short" || word[1] === "near") distance = word[1];
    else size = sizes[word[1]!];
    rest = rest.slice(word[0].length);
  }
  if (rest.startsWith("[")) return parseMemory(rest.slice(1, rest.lastIndexOf("]")), size);
  if (registerPattern.test(rest)) return { kind: "reg", name: rest };
  const imm: Operand = { kind: "imm", value: parseNumber(rest, address), known: true };
  if (size !== undefined) imm.size = size;
  if (strict) imm.strict = true;
  if (distance !== undefined) imm.distance = distance;
  return imm;
}

/** Parses one instruction line (no label, comment already removed) at `address`. */
export function parseInstruction(
  line: string,
  address: number,
  bits: 16 | 32 = 32,
): SourceInstruction {
  const words = line.trim().split(/\s+/);
  const prefixes: string[] = [];
  while (words.length > 1 && prefixNames.has(words[0]!.toLowerCase()))
    prefixes.push(words.shift()!.toLowerCase());
  const mnemonic = words.shift()!.toLowerCase();
  const operandText = words.join(" ").trim();
  const operands =
    operandText === "" ? [] : operandText.split(",").map((t) => parseOperand(t, address));
  return { mnemonic, prefixes, operands, bits, address };
}

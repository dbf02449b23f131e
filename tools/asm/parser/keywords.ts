// The reserved words that start a statement: instruction mnemonics (taken from the ISA table,
// aliases included, so the assembler knows exactly the instructions the CPU implements),
// instruction prefixes, data and reservation directives, and assembler directives. A first
// word that is none of these is a label.

import { isaRows, mnemonicAliases } from "../../../vm/cpu/isa.ts";
import { segmentRegisterNames } from "../registers.ts";
import { nasmInstructionNames } from "./nasm-instruction-names.ts";

const mnemonics = new Set<string>([
  ...isaRows.map((row) => row.mnemonic),
  ...mnemonicAliases.keys(),
]);

/** Prefix spellings -> the name SourceInstruction.prefixes uses. */
const prefixNames: ReadonlyMap<string, string> = new Map([
  ["rep", "rep"],
  ["repe", "repe"],
  ["repz", "repe"],
  ["repne", "repne"],
  ["repnz", "repne"],
  ["lock", "lock"],
  ["o16", "o16"],
  ["o32", "o32"],
  ["a16", "a16"],
  ["a32", "a32"],
  ...segmentRegisterNames.map((name): [string, string] => [name, name]),
]);

export type DataUnitBytes = 1 | 2 | 4 | 8 | 10 | 16 | 32 | 64;

/** db/dw/dd/dq/dt/do/dy/dz and their resX counterparts, by unit size. */
const dataUnits: ReadonlyMap<string, DataUnitBytes> = new Map([
  ["b", 1],
  ["w", 2],
  ["d", 4],
  ["q", 8],
  ["t", 10],
  ["o", 16],
  ["y", 32],
  ["z", 64],
]);

/** Operand size keywords -> bits. */
export const sizeKeywords: ReadonlyMap<string, number> = new Map([
  ["byte", 8],
  ["word", 16],
  ["dword", 32],
  ["qword", 64],
  ["tword", 80],
  ["oword", 128],
  ["yword", 256],
  ["zword", 512],
]);

/** The bytes of each of `words` (size keywords), for a place that takes only those. */
export function sizeBytesOf(words: readonly string[]): ReadonlyMap<string, number> {
  return new Map(words.map((word) => [word, sizeKeywords.get(word)! / 8]));
}

const directives = new Set([
  "bits",
  "use16",
  "use32",
  "org",
  "section",
  "segment",
  "global",
  "extern",
  "common",
  "static",
  "align",
  "alignb",
  "absolute",
  "sectalign",
  "warning",
  "cpu",
  "default",
  "incbin",
  "struc",
  "endstruc",
  "istruc",
  "iend",
  "at",
]);

export function isMnemonic(lowerName: string): boolean {
  return mnemonics.has(lowerName);
}

export function prefixName(lowerName: string): string | undefined {
  return prefixNames.get(lowerName);
}

/** Unit size of `db`..`dz`, or undefined. */
export function dataDirectiveUnit(lowerName: string): DataUnitBytes | undefined {
  return lowerName.length === 2 && lowerName[0] === "d" ? dataUnits.get(lowerName[1]!) : undefined;
}

/** Unit size of `resb`..`resz`, or undefined. */
export function reserveDirectiveUnit(lowerName: string): DataUnitBytes | undefined {
  return lowerName.length === 4 && lowerName.startsWith("res")
    ? dataUnits.get(lowerName[3]!)
    : undefined;
}

export function isDirective(lowerName: string): boolean {
  return directives.has(lowerName);
}

/** True for any word that can begin a statement (after an optional label). */
export function startsStatement(lowerName: string): boolean {
  return (
    mnemonics.has(lowerName) ||
    prefixNames.has(lowerName) ||
    nasmInstructionNames.has(lowerName) ||
    directives.has(lowerName) ||
    lowerName === "times" ||
    lowerName === "equ" ||
    dataDirectiveUnit(lowerName) !== undefined ||
    reserveDirectiveUnit(lowerName) !== undefined
  );
}

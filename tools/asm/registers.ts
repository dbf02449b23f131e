// NASM's i386 register names, for both sides of tools/asm/instruction.ts: the parser asks
// which words are registers (so `eax` in an expression is a register, not a label) and which
// are segment overrides; the encoder and the disassembler need the general registers' ModRM
// numbers and sizes. Only the general registers are encodable: segment, control, debug,
// x87, MMX and SSE registers are recognised so the encoder can say "not supported" rather
// than "unknown".

export type RegisterSizeBits = 8 | 16 | 32;

export interface GeneralRegister {
  readonly name: string;
  readonly sizeBits: RegisterSizeBits;
  /** The 3-bit number used in ModRM.reg, ModRM.rm, SIB and +r opcodes. */
  readonly number: number;
}

const namesBySize: readonly [RegisterSizeBits, readonly string[]][] = [
  [32, ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"]],
  [16, ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"]],
  [8, ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]],
];

const generalRegisters: ReadonlyMap<string, GeneralRegister> = new Map(
  namesBySize.flatMap(([sizeBits, names]) =>
    names.map((name, number): [string, GeneralRegister] => [name, { name, sizeBits, number }]),
  ),
);

/** Segment registers: valid as overrides (`[es:eax]`, `es movsb`), not as operands here. */
export const segmentRegisterNames: readonly string[] = ["es", "cs", "ss", "ds", "fs", "gs"];

const otherRegisterPattern = /^(cr[0-8]|dr[0-7]|tr[3-7]|st[0-7]?|mm[0-7]|xmm[0-7])$/;

export function generalRegister(name: string): GeneralRegister | undefined {
  return generalRegisters.get(name.toLowerCase());
}

export function isSegmentRegister(name: string): boolean {
  return segmentRegisterNames.includes(name.toLowerCase());
}

/** A register NASM knows that sterna's i386 integer subset cannot use as an operand. */
export function isUnsupportedRegister(name: string): boolean {
  return isSegmentRegister(name) || otherRegisterPattern.test(name.toLowerCase());
}

/** True if NASM reads the word as a register, encodable or not. */
export function isRegisterName(name: string): boolean {
  return generalRegister(name) !== undefined || isUnsupportedRegister(name);
}

/** The general register with this number and size (for the disassembler's output). */
export function generalRegisterName(sizeBits: RegisterSizeBits, number: number): string {
  const names = namesBySize.find(([size]) => size === sizeBits)![1];
  return names[number & 7]!;
}

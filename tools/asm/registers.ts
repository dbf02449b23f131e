// NASM's i386 register names, for both sides of tools/asm/instruction.ts: the parser asks
// which words are registers (so `eax` in an expression is a register, not a label) and which
// are segment overrides; the encoder and the disassembler need the general registers' ModRM
// numbers and sizes, and the segment, control and debug registers' numbers (their moves and
// pushes are ISA rows too). Test, x87, MMX and SSE registers and cr8 are recognised so the
// encoder can say "not supported" rather than "unknown".

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

/** Segment registers by number: overrides (`[es:eax]`, `es movsb`) and operands (`push ds`). */
export const segmentRegisterNames: readonly string[] = ["es", "cs", "ss", "ds", "fs", "gs"];

export type SystemRegisterFamily = "segment" | "control" | "debug";

export interface SystemRegister {
  readonly name: string;
  readonly family: SystemRegisterFamily;
  /** The number in ModRM.reg (or in a segment push's or pop's opcode). */
  readonly number: number;
}

const systemRegisterPrefixes: Readonly<Record<Exclude<SystemRegisterFamily, "segment">, string>> = {
  control: "cr",
  debug: "dr",
};

const systemRegisters: ReadonlyMap<string, SystemRegister> = new Map([
  ...segmentRegisterNames.map((name, number): [string, SystemRegister] => [
    name,
    { name, family: "segment", number },
  ]),
  ...(["control", "debug"] as const).flatMap((family) =>
    Array.from({ length: 8 }, (_, number): [string, SystemRegister] => {
      const name = `${systemRegisterPrefixes[family]}${number}`;
      return [name, { name, family, number }];
    }),
  ),
]);

// cr8 exists only through AMD's lock-prefixed alias, which sterna's CPU refuses.
const otherRegisterPattern = /^(cr8|tr[3-7]|st[0-7]?|mm[0-7]|xmm[0-7])$/;

export function generalRegister(name: string): GeneralRegister | undefined {
  return generalRegisters.get(name.toLowerCase());
}

export function isSegmentRegister(name: string): boolean {
  return segmentRegisterNames.includes(name.toLowerCase());
}

/** A segment, control or debug register. */
export function systemRegister(name: string): SystemRegister | undefined {
  return systemRegisters.get(name.toLowerCase());
}

/** A register NASM knows that sterna's i386 integer subset cannot use as an operand. */
export function isUnsupportedRegister(name: string): boolean {
  return otherRegisterPattern.test(name.toLowerCase());
}

/** True if NASM reads the word as a register, encodable or not. */
export function isRegisterName(name: string): boolean {
  return (
    generalRegister(name) !== undefined ||
    systemRegister(name) !== undefined ||
    isUnsupportedRegister(name)
  );
}

/** The name of a segment, control or debug register by number (for the disassembler). */
export function systemRegisterName(family: SystemRegisterFamily, number: number): string {
  return family === "segment"
    ? segmentRegisterNames[number]!
    : `${systemRegisterPrefixes[family]}${number}`;
}

/** The general register with this number and size (for the disassembler's output). */
export function generalRegisterName(sizeBits: RegisterSizeBits, number: number): string {
  const names = namesBySize.find(([size]) => size === sizeBits)![1];
  return names[number & 7]!;
}

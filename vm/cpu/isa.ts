// The one description of the i386 integer instruction set that sterna implements, as data.
// The CPU's decoder builds its dispatch tables from `isaRows`; the disassembler and the
// assembler's encoder read the same rows. Adding an instruction = one row here + its semantics.
//
// Each IsaRow is one encoding form, the way the Intel manual's opcode tables list them:
//   mnemonic      NASM spelling, lower case ("add", "movsd", "cmovne"). Condition-code
//                 families (jcc/setcc/cmovcc) have one row per cc named with the first
//                 spelling in `conditionNames`; the other spellings are in `mnemonicAliases`.
//   opcode        the opcode bytes without prefixes, 0x0F escape included. For `cc` rows the
//                 condition is already added into the last byte; for `plusReg` rows the
//                 last byte is the base (register 0 = eax/ax/al).
//   modrm         "r": a ModRM byte whose reg field names the r8/r16/r32 operand;
//                 "digit": a ModRM byte whose reg field is the fixed `digit` (Intel's /0../7);
//                 "none": no ModRM byte.
//   plusReg       the r8/r16/r32 operand is encoded in the low 3 bits of the last opcode byte.
//   cc            condition code 0..15 (o no b ae e ne be a s ns p np l ge le g), or -1.
//   operands      Intel order (destination first), see OperandType.
//   operandSize   16: the form selected by the 0x66 prefix; 32: the form without it;
//                 8: fixed byte operation (0x66 is ignored); 0: no operand size (0x66 ignored).
//   prefixes      which of rep / repe / repne / lock the form accepts. Lock is only valid
//                 with a memory destination; anything else with F0 is #UD.
//   handler       the execution semantics id the CPU dispatches on (several rows share one).
// Immediates follow the ModRM/SIB/displacement bytes in operand order; `enter` has imm16
// then imm8. Addresses are always 32-bit: the 0x67 prefix is not supported (#UD).
//
// Left out (decode as #UD): x87/MMX/SSE, far control transfer, system instructions other
// than the CPL-3 #GP ones below, duplicate encodings NASM never emits (82 /d, F6 /1, D0 /6,
// setcc with a nonzero reg field).

/** Operand types, NASM/Intel style. */
export type OperandType =
  /** general register in ModRM.reg (or in the opcode for plusReg rows) */
  | "r8"
  | "r16"
  | "r32"
  /** register or memory in ModRM.rm */
  | "rm8"
  | "rm16"
  | "rm32"
  /** memory only, no size (lea; reg form is #UD) */
  | "m"
  /** immediates; simm8 is one byte sign-extended to the operand size */
  | "imm8"
  | "imm16"
  | "imm32"
  | "simm8"
  /** branch displacement relative to the next instruction; rel16 truncates eip to 16 bits */
  | "rel8"
  | "rel16"
  | "rel32"
  /** absolute 32-bit address in the instruction, no ModRM (A0..A3) */
  | "moffs8"
  | "moffs16"
  | "moffs32"
  /** fixed registers and the constant 1 (shift by one) */
  | "al"
  | "ax"
  | "eax"
  | "cl"
  | "dx"
  | "one"
  /** segment register in ModRM.reg: 0..5 = es cs ss ds fs gs (6, 7 and a move to cs are #UD) */
  | "sreg"
  /** the segment register in bits 3..5 of the opcode's last byte (push/pop es cs ss ds fs gs) */
  | "sregOpcode"
  /** control / debug register in ModRM.reg */
  | "creg"
  | "dreg"
  /** a 32-bit register in ModRM.rm whatever ModRM.mod says (moves of control/debug registers) */
  | "rm32Register";

export type ModrmUse = "r" | "digit" | "none";

export type OperandSize = 0 | 8 | 16 | 32;

export type AllowedPrefix = "rep" | "repe" | "repne" | "lock";

/** Execution semantics ids. Forms are told apart by the row's operands and operandSize. */
export type Handler =
  | "mov"
  | "movzx"
  | "movsx"
  | "lea"
  | "add"
  | "or"
  | "adc"
  | "sbb"
  | "and"
  | "sub"
  | "xor"
  | "cmp"
  | "test"
  | "inc"
  | "dec"
  | "neg"
  | "not"
  | "mul"
  /** one-operand imul (edx:eax = eax * rm) */
  | "imulWide"
  /** two- and three-operand imul (r = r * rm, r = rm * imm) */
  | "imul"
  | "div"
  | "idiv"
  | "rol"
  | "ror"
  | "rcl"
  | "rcr"
  | "shl"
  | "shr"
  | "sar"
  | "shld"
  | "shrd"
  | "bt"
  | "bts"
  | "btr"
  | "btc"
  | "bsf"
  | "bsr"
  | "setcc"
  | "cmovcc"
  | "jcc"
  | "jmp"
  | "call"
  | "ret"
  | "jecxz"
  | "loop"
  | "loope"
  | "loopne"
  | "push"
  | "pop"
  | "pusha"
  | "popa"
  | "pushf"
  | "popf"
  | "xchg"
  | "cmpxchg"
  | "xadd"
  | "bswap"
  /** cbw / cwde: sign-extend the low half of the accumulator */
  | "signExtendAccumulator"
  /** cwd / cdq: sign of the accumulator into dx / edx */
  | "signExtendIntoDx"
  | "lahf"
  | "sahf"
  | "clc"
  | "stc"
  | "cmc"
  | "cld"
  | "std"
  | "movs"
  | "cmps"
  | "stos"
  | "lods"
  | "scas"
  | "leave"
  | "enter"
  | "nop"
  /** int imm8: a trap, eip after the instruction */
  | "int"
  | "int3"
  /** into: trap with vector 4 when OF = 1 */
  | "into"
  | "ud2"
  /** al = [ebx + zero-extended al] */
  | "xlat"
  /** decimal adjust after addition / subtraction (packed BCD in al) */
  | "daa"
  | "das"
  /** ASCII adjust after addition / subtraction (unpacked BCD in ax) */
  | "aaa"
  | "aas"
  /** ASCII adjust after multiply (divides al by imm8; 0 raises #DE) / before division */
  | "aam"
  | "aad"
  /** the fixed identity in docs/cpu.md */
  | "cpuid"
  /** edx:eax = the virtual cycle counter */
  | "rdtsc"
  /** #BR unless the signed bounds pair in memory holds the register */
  | "bound"
  /** hlt cli sti in out ins outs, descriptor-table and cache control: #GP(0) at CPL 3 */
  | "privileged"
  /** mov r/m, Sreg: the flat selector the register holds (see docs/cpu.md) */
  | "movFromSegment"
  /** mov Sreg, r/m16: #GP(selector) unless it is the selector the register holds */
  | "movToSegment"
  | "pushSegment"
  | "popSegment";

export interface IsaRow {
  readonly mnemonic: string;
  readonly opcode: readonly number[];
  readonly modrm: ModrmUse;
  /** ModRM reg field for modrm "digit", else -1 */
  readonly digit: number;
  readonly plusReg: boolean;
  readonly cc: number;
  /** "j" / "set" / "cmov" for cc rows (mnemonic = stem + conditionNames[cc][0]), else "" */
  readonly conditionStem: "" | "j" | "set" | "cmov";
  readonly operands: readonly OperandType[];
  readonly operandSize: OperandSize;
  readonly prefixes: readonly AllowedPrefix[];
  readonly handler: Handler;
}

/** Spellings of each condition code 0..15; the first one names the rows. */
export const conditionNames: readonly (readonly string[])[] = [
  ["o"],
  ["no"],
  ["b", "c", "nae"],
  ["ae", "nb", "nc"],
  ["e", "z"],
  ["ne", "nz"],
  ["be", "na"],
  ["a", "nbe"],
  ["s"],
  ["ns"],
  ["p", "pe"],
  ["np", "po"],
  ["l", "nge"],
  ["ge", "nl"],
  ["le", "ng"],
  ["g", "nle"],
];

/** Prefix bytes by NASM name. Segment overrides are accepted and ignored (flat memory). */
export const prefixBytes: Readonly<Record<string, number>> = {
  lock: 0xf0,
  rep: 0xf3,
  repe: 0xf3,
  repz: 0xf3,
  repne: 0xf2,
  repnz: 0xf2,
  o16: 0x66,
  es: 0x26,
  cs: 0x2e,
  ss: 0x36,
  ds: 0x3e,
  fs: 0x64,
  gs: 0x65,
};

// ---- Row construction. The helpers only expand repetition; every row they make is plain data.

/** An operand template: a concrete type, or a "v" type expanded to its 16- and 32-bit forms. */
type Template = OperandType | "rv" | "rmv" | "immv" | "accv" | "relv" | "moffsv";

const sixteen: Record<Exclude<Template, OperandType>, OperandType> = {
  rv: "r16",
  rmv: "rm16",
  immv: "imm16",
  accv: "ax",
  relv: "rel16",
  moffsv: "moffs16",
};
const thirtyTwo: Record<Exclude<Template, OperandType>, OperandType> = {
  rv: "r32",
  rmv: "rm32",
  immv: "imm32",
  accv: "eax",
  relv: "rel32",
  moffsv: "moffs32",
};

const rows: IsaRow[] = [];

interface Extra {
  prefixes?: readonly AllowedPrefix[];
  cc?: number;
  conditionStem?: IsaRow["conditionStem"];
}

/**
 * One row. `encoding` is Intel-style: hex opcode bytes, the last optionally "+r", then
 * optionally "/r" or "/0".."/7" (e.g. "0F AF /r", "B8+r", "80 /7").
 */
function row(
  mnemonic: string,
  encoding: string,
  operands: readonly OperandType[],
  operandSize: OperandSize,
  handler: Handler,
  extra: Extra = {},
): void {
  const opcode: number[] = [];
  let modrm: ModrmUse = "none";
  let digit = -1;
  let plusReg = false;
  for (const token of encoding.split(" ")) {
    if (token === "/r") {
      modrm = "r";
    } else if (token.startsWith("/")) {
      modrm = "digit";
      digit = Number(token.slice(1));
    } else if (token.endsWith("+r")) {
      plusReg = true;
      opcode.push(Number.parseInt(token.slice(0, -2), 16));
    } else {
      opcode.push(Number.parseInt(token, 16));
    }
  }
  const cc = extra.cc ?? -1;
  if (cc >= 0) opcode[opcode.length - 1] += cc;
  rows.push({
    mnemonic,
    opcode,
    modrm,
    digit,
    plusReg,
    cc,
    conditionStem: extra.conditionStem ?? "",
    operands,
    operandSize,
    prefixes: extra.prefixes ?? [],
    handler,
  });
}

function expand(templates: readonly Template[], table: typeof sixteen): OperandType[] {
  return templates.map((t) => (t in table ? table[t as keyof typeof table] : (t as OperandType)));
}

/** The 16-bit (0x66) and 32-bit forms of one instruction; names differ for e.g. movsw/movsd. */
function sized(
  names: string | readonly [string, string],
  encoding: string,
  templates: readonly Template[],
  handler: Handler,
  extra: Extra = {},
): void {
  const [name16, name32] = typeof names === "string" ? [names, names] : names;
  row(name16, encoding, expand(templates, sixteen), 16, handler, extra);
  row(name32, encoding, expand(templates, thirtyTwo), 32, handler, extra);
}

const lock: readonly AllowedPrefix[] = ["lock"];
const rep: readonly AllowedPrefix[] = ["rep"];
const repeCompare: readonly AllowedPrefix[] = ["repe", "repne"];

// Data movement.
row("mov", "88 /r", ["rm8", "r8"], 8, "mov");
sized("mov", "89 /r", ["rmv", "rv"], "mov");
row("mov", "8A /r", ["r8", "rm8"], 8, "mov");
sized("mov", "8B /r", ["rv", "rmv"], "mov");
row("mov", "A0", ["al", "moffs8"], 8, "mov");
sized("mov", "A1", ["accv", "moffsv"], "mov");
row("mov", "A2", ["moffs8", "al"], 8, "mov");
sized("mov", "A3", ["moffsv", "accv"], "mov");
row("mov", "B0+r", ["r8", "imm8"], 8, "mov");
sized("mov", "B8+r", ["rv", "immv"], "mov");
row("mov", "C6 /0", ["rm8", "imm8"], 8, "mov");
sized("mov", "C7 /0", ["rmv", "immv"], "mov");
sized("movzx", "0F B6 /r", ["rv", "rm8"], "movzx");
row("movzx", "0F B7 /r", ["r32", "rm16"], 32, "movzx");
sized("movsx", "0F BE /r", ["rv", "rm8"], "movsx");
row("movsx", "0F BF /r", ["r32", "rm16"], 32, "movsx");
sized("lea", "8D /r", ["rv", "m"], "lea");
row("xchg", "86 /r", ["rm8", "r8"], 8, "xchg", { prefixes: lock });
sized("xchg", "87 /r", ["rmv", "rv"], "xchg", { prefixes: lock });
// 90 with register 0 is nop (below); xchg is commutative, NASM also accepts `xchg r32, eax`.
sized("xchg", "90+r", ["accv", "rv"], "xchg");
row("bswap", "0F C8+r", ["r32"], 32, "bswap");
sized(["cbw", "cwde"], "98", [], "signExtendAccumulator");
sized(["cwd", "cdq"], "99", [], "signExtendIntoDx");

// Arithmetic and logic: the eight classic ALU operations share one encoding pattern.
const aluOperations: readonly Handler[] = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];
function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}
aluOperations.forEach((handler, index) => {
  const base = index * 8;
  const prefixes = handler === "cmp" ? [] : lock;
  row(handler, `${hex(base)} /r`, ["rm8", "r8"], 8, handler, { prefixes });
  sized(handler, `${hex(base + 1)} /r`, ["rmv", "rv"], handler, { prefixes });
  row(handler, `${hex(base + 2)} /r`, ["r8", "rm8"], 8, handler);
  sized(handler, `${hex(base + 3)} /r`, ["rv", "rmv"], handler);
  row(handler, `${hex(base + 4)}`, ["al", "imm8"], 8, handler);
  sized(handler, `${hex(base + 5)}`, ["accv", "immv"], handler);
  row(handler, `80 /${index}`, ["rm8", "imm8"], 8, handler, { prefixes });
  sized(handler, `81 /${index}`, ["rmv", "immv"], handler, { prefixes });
  sized(handler, `83 /${index}`, ["rmv", "simm8"], handler, { prefixes });
});
row("test", "84 /r", ["rm8", "r8"], 8, "test");
sized("test", "85 /r", ["rmv", "rv"], "test");
row("test", "A8", ["al", "imm8"], 8, "test");
sized("test", "A9", ["accv", "immv"], "test");
row("test", "F6 /0", ["rm8", "imm8"], 8, "test");
sized("test", "F7 /0", ["rmv", "immv"], "test");
sized("inc", "40+r", ["rv"], "inc");
sized("dec", "48+r", ["rv"], "dec");
row("inc", "FE /0", ["rm8"], 8, "inc", { prefixes: lock });
row("dec", "FE /1", ["rm8"], 8, "dec", { prefixes: lock });
sized("inc", "FF /0", ["rmv"], "inc", { prefixes: lock });
sized("dec", "FF /1", ["rmv"], "dec", { prefixes: lock });
row("not", "F6 /2", ["rm8"], 8, "not", { prefixes: lock });
row("neg", "F6 /3", ["rm8"], 8, "neg", { prefixes: lock });
sized("not", "F7 /2", ["rmv"], "not", { prefixes: lock });
sized("neg", "F7 /3", ["rmv"], "neg", { prefixes: lock });
row("mul", "F6 /4", ["rm8"], 8, "mul");
row("imul", "F6 /5", ["rm8"], 8, "imulWide");
row("div", "F6 /6", ["rm8"], 8, "div");
row("idiv", "F6 /7", ["rm8"], 8, "idiv");
sized("mul", "F7 /4", ["rmv"], "mul");
sized("imul", "F7 /5", ["rmv"], "imulWide");
sized("div", "F7 /6", ["rmv"], "div");
sized("idiv", "F7 /7", ["rmv"], "idiv");
sized("imul", "0F AF /r", ["rv", "rmv"], "imul");
sized("imul", "6B /r", ["rv", "rmv", "simm8"], "imul");
sized("imul", "69 /r", ["rv", "rmv", "immv"], "imul");
sized("cmpxchg", "0F B1 /r", ["rmv", "rv"], "cmpxchg", { prefixes: lock });
row("cmpxchg", "0F B0 /r", ["rm8", "r8"], 8, "cmpxchg", { prefixes: lock });
row("xadd", "0F C0 /r", ["rm8", "r8"], 8, "xadd", { prefixes: lock });
sized("xadd", "0F C1 /r", ["rmv", "rv"], "xadd", { prefixes: lock });

// Shifts and rotates: /digit selects the operation.
const shiftOperations: readonly [Handler, number][] = [
  ["rol", 0],
  ["ror", 1],
  ["rcl", 2],
  ["rcr", 3],
  ["shl", 4],
  ["shr", 5],
  ["sar", 7],
];
for (const [handler, digit] of shiftOperations) {
  row(handler, `D0 /${digit}`, ["rm8", "one"], 8, handler);
  row(handler, `D2 /${digit}`, ["rm8", "cl"], 8, handler);
  row(handler, `C0 /${digit}`, ["rm8", "imm8"], 8, handler);
  sized(handler, `D1 /${digit}`, ["rmv", "one"], handler);
  sized(handler, `D3 /${digit}`, ["rmv", "cl"], handler);
  sized(handler, `C1 /${digit}`, ["rmv", "imm8"], handler);
}
sized("shld", "0F A4 /r", ["rmv", "rv", "imm8"], "shld");
sized("shld", "0F A5 /r", ["rmv", "rv", "cl"], "shld");
sized("shrd", "0F AC /r", ["rmv", "rv", "imm8"], "shrd");
sized("shrd", "0F AD /r", ["rmv", "rv", "cl"], "shrd");

// Bit operations. With a register offset and a memory operand the offset is a signed bit
// index that can reach outside the addressed word.
const bitOperations: readonly [Handler, number, number][] = [
  ["bt", 0xa3, 4],
  ["bts", 0xab, 5],
  ["btr", 0xb3, 6],
  ["btc", 0xbb, 7],
];
for (const [handler, opcode, digit] of bitOperations) {
  const prefixes = handler === "bt" ? [] : lock;
  sized(handler, `0F ${hex(opcode)} /r`, ["rmv", "rv"], handler, {
    prefixes,
  });
  sized(handler, `0F BA /${digit}`, ["rmv", "imm8"], handler, { prefixes });
}
sized("bsf", "0F BC /r", ["rv", "rmv"], "bsf");
sized("bsr", "0F BD /r", ["rv", "rmv"], "bsr");

// Condition-code families: one row per condition.
for (let cc = 0; cc < 16; cc++) {
  const suffix = conditionNames[cc]![0]!;
  row(`j${suffix}`, "70", ["rel8"], 0, "jcc", { cc, conditionStem: "j" });
  row(`j${suffix}`, "0F 80", ["rel16"], 16, "jcc", { cc, conditionStem: "j" });
  row(`j${suffix}`, "0F 80", ["rel32"], 32, "jcc", { cc, conditionStem: "j" });
  row(`set${suffix}`, "0F 90 /0", ["rm8"], 8, "setcc", { cc, conditionStem: "set" });
  sized(`cmov${suffix}`, "0F 40 /r", ["rv", "rmv"], "cmovcc", { cc, conditionStem: "cmov" });
}

// Control transfer.
row("jmp", "EB", ["rel8"], 0, "jmp");
sized("jmp", "E9", ["relv"], "jmp");
row("jmp", "FF /4", ["rm32"], 32, "jmp");
sized("call", "E8", ["relv"], "call");
row("call", "FF /2", ["rm32"], 32, "call");
row("ret", "C3", [], 0, "ret");
row("ret", "C2", ["imm16"], 0, "ret");
row("jecxz", "E3", ["rel8"], 0, "jecxz");
row("loop", "E2", ["rel8"], 0, "loop");
row("loope", "E1", ["rel8"], 0, "loope");
row("loopne", "E0", ["rel8"], 0, "loopne");

// Stack.
sized("push", "50+r", ["rv"], "push");
sized("pop", "58+r", ["rv"], "pop");
sized("push", "6A", ["simm8"], "push");
sized("push", "68", ["immv"], "push");
sized("push", "FF /6", ["rmv"], "push");
sized("pop", "8F /0", ["rmv"], "pop");
sized(["pushaw", "pushad"], "60", [], "pusha");
sized(["popaw", "popad"], "61", [], "popa");
sized(["pushfw", "pushfd"], "9C", [], "pushf");
sized(["popfw", "popfd"], "9D", [], "popf");
row("leave", "C9", [], 0, "leave");
row("enter", "C8", ["imm16", "imm8"], 0, "enter");

// Flags.
row("lahf", "9F", [], 0, "lahf");
row("sahf", "9E", [], 0, "sahf");
row("clc", "F8", [], 0, "clc");
row("stc", "F9", [], 0, "stc");
row("cmc", "F5", [], 0, "cmc");
row("cld", "FC", [], 0, "cld");
row("std", "FD", [], 0, "std");

// Strings: esi/edi step by the element size, down when DF = 1.
row("movsb", "A4", [], 8, "movs", { prefixes: rep });
sized(["movsw", "movsd"], "A5", [], "movs", { prefixes: rep });
row("cmpsb", "A6", [], 8, "cmps", { prefixes: repeCompare });
sized(["cmpsw", "cmpsd"], "A7", [], "cmps", { prefixes: repeCompare });
row("stosb", "AA", [], 8, "stos", { prefixes: rep });
sized(["stosw", "stosd"], "AB", [], "stos", { prefixes: rep });
row("lodsb", "AC", [], 8, "lods", { prefixes: rep });
sized(["lodsw", "lodsd"], "AD", [], "lods", { prefixes: rep });
row("scasb", "AE", [], 8, "scas", { prefixes: repeCompare });
sized(["scasw", "scasd"], "AF", [], "scas", { prefixes: repeCompare });

// Miscellaneous.
row("nop", "90", [], 0, "nop");
sized("nop", "0F 1F /0", ["rmv"], "nop");
// Hint NOPs (NASM's hint_nopN): the operand is never accessed. endbr32 (F3 0F 1E FB), which
// gcc emits with -fcf-protection, is `rep hint_nop55 ebx`.
for (let digit = 0; digit < 8; digit++) {
  sized(`hint_nop${48 + digit}`, `0F 1E /${digit}`, ["rmv"], "nop");
  if (digit > 0) sized(`hint_nop${56 + digit}`, `0F 1F /${digit}`, ["rmv"], "nop");
}
row("int", "CD", ["imm8"], 0, "int");
row("int3", "CC", [], 0, "int3");
row("into", "CE", [], 0, "into");
row("ud2", "0F 0B", [], 0, "ud2");

// Privileged at CPL 3: each raises #GP(0).
row("hlt", "F4", [], 0, "privileged");
row("cli", "FA", [], 0, "privileged");
row("sti", "FB", [], 0, "privileged");
row("in", "E4", ["al", "imm8"], 8, "privileged");
sized("in", "E5", ["accv", "imm8"], "privileged");
row("in", "EC", ["al", "dx"], 8, "privileged");
sized("in", "ED", ["accv", "dx"], "privileged");
row("out", "E6", ["imm8", "al"], 8, "privileged");
sized("out", "E7", ["imm8", "accv"], "privileged");
row("out", "EE", ["dx", "al"], 8, "privileged");
sized("out", "EF", ["dx", "accv"], "privileged");
row("insb", "6C", [], 8, "privileged", { prefixes: rep });
sized(["insw", "insd"], "6D", [], "privileged", { prefixes: rep });
row("outsb", "6E", [], 8, "privileged", { prefixes: rep });
sized(["outsw", "outsd"], "6F", [], "privileged", { prefixes: rep });
row("lldt", "0F 00 /2", ["rm16"], 0, "privileged");
row("ltr", "0F 00 /3", ["rm16"], 0, "privileged");
row("lgdt", "0F 01 /2", ["m"], 0, "privileged");
row("lidt", "0F 01 /3", ["m"], 0, "privileged");
row("lmsw", "0F 01 /6", ["rm16"], 0, "privileged");
row("invlpg", "0F 01 /7", ["m"], 0, "privileged");
row("clts", "0F 06", [], 0, "privileged");
row("invd", "0F 08", [], 0, "privileged");
row("wbinvd", "0F 09", [], 0, "privileged");
row("wrmsr", "0F 30", [], 0, "privileged");
row("rdmsr", "0F 32", [], 0, "privileged");

// Legacy arithmetic adjustments and table look-up.
row("xlatb", "D7", [], 0, "xlat");
row("daa", "27", [], 0, "daa");
row("das", "2F", [], 0, "das");
row("aaa", "37", [], 0, "aaa");
row("aas", "3F", [], 0, "aas");
row("aam", "D4", ["imm8"], 0, "aam");
row("aad", "D5", ["imm8"], 0, "aad");
sized("bound", "62 /r", ["rv", "m"], "bound");

// What a CPL-3 process may ask the processor.
row("cpuid", "0F A2", [], 0, "cpuid");
row("rdtsc", "0F 31", [], 0, "rdtsc");

// Segment and system registers. 8C stores 16 bits to memory whatever the operand size, and
// zero-extends into a 32-bit register. Moves of control and debug registers raise #GP at CPL 3.
sized("mov", "8C /r", ["rmv", "sreg"], "movFromSegment");
row("mov", "8E /r", ["sreg", "rm16"], 0, "movToSegment");
for (const opcode of ["06", "0E", "16", "1E", "0F A0", "0F A8"]) {
  sized("push", opcode, ["sregOpcode"], "pushSegment");
}
for (const opcode of ["07", "17", "1F", "0F A1", "0F A9"]) {
  sized("pop", opcode, ["sregOpcode"], "popSegment");
}
row("mov", "0F 20 /r", ["rm32Register", "creg"], 32, "privileged");
row("mov", "0F 21 /r", ["rm32Register", "dreg"], 32, "privileged");
row("mov", "0F 22 /r", ["creg", "rm32Register"], 32, "privileged");
row("mov", "0F 23 /r", ["dreg", "rm32Register"], 32, "privileged");

/** Every implemented encoding form: the CPU's decoder, the disassembler and the assembler share them. */
export const isaRows: readonly IsaRow[] = rows;

function buildAliases(): ReadonlyMap<string, string> {
  const aliases = new Map<string, string>([
    ["pusha", "pushad"],
    ["popa", "popad"],
    ["pushf", "pushfd"],
    ["popf", "popfd"],
    ["sal", "shl"],
    ["loopz", "loope"],
    ["loopnz", "loopne"],
    ["xlat", "xlatb"],
  ]);
  for (const stem of ["j", "set", "cmov"]) {
    for (const names of conditionNames) {
      for (const name of names.slice(1)) aliases.set(stem + name, stem + names[0]!);
    }
  }
  return aliases;
}

/**
 * Other NASM spellings (in 32-bit code) -> the row mnemonic they assemble as:
 * jz -> je, setnae -> setb, cmovpe -> cmovp, pusha -> pushad, sal -> shl, loopz -> loope ...
 */
export const mnemonicAliases: ReadonlyMap<string, string> = buildAliases();

// The seeded generator of the encoder's corpus: for every row of the ISA table it writes
// instructions covering each operand position's variants (every register, every addressing
// form: no base, base, disp8/disp32, index*scale, esp/ebp special cases, explicit
// displacement sizes, segment overrides, 16-bit addresses; immediates at the size
// boundaries with and without byte/word/dword/strict; jump targets near the rel8 limits
// with short/near/word/dword), plus the allowed prefixes, NASM's alternative spellings
// (aliases, swapped operands, 2-operand imul) and deliberately wrong sizes. Each line is
// a SourceInstruction whose jump targets are offsets from its own address until placed.

import type {
  ImmediateOperand,
  MemoryOperand,
  Operand,
  OperandSize,
  SourceInstruction,
} from "../../../tools/asm/instruction.ts";
import { generalRegister, segmentRegisterNames } from "../../../tools/asm/registers.ts";
import { formatInstruction, isJumpMnemonic } from "../../../tools/disasm/nasm-syntax.ts";
import { type IsaRow, isaRows, mnemonicAliases, type OperandType } from "../../../vm/cpu/isa.ts";
import { SeededRandom } from "./seeded-random.ts";

export interface CorpusLine {
  /** Jump targets hold offsets from the instruction's address (see `placeAt`). */
  readonly template: SourceInstruction;
  readonly text: string;
}

const registers: Readonly<Record<8 | 16 | 32, readonly string[]>> = {
  8: ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"],
  16: ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"],
  32: ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"],
};
const wrongRegister: Readonly<Record<8 | 16 | 32, string>> = { 8: "ecx", 16: "bl", 32: "dx" };

type Address = Omit<MemoryOperand, "kind" | "size" | "dispKnown" | "absolute" | "scale"> & {
  scale?: 1 | 2 | 4 | 8;
};

/** Addressing forms: the special cases of ModRM/SIB and NASM's rewrites, and a few errors. */
const addressForms: readonly Address[] = [
  { base: "eax", disp: 0 },
  { base: "ebx", disp: 0 },
  { base: "esp", disp: 0 },
  { base: "ebp", disp: 0 },
  { base: "esi", disp: 0x10 },
  { base: "ebp", disp: -8 },
  { base: "esp", disp: 4 },
  { base: "eax", disp: 0x7f },
  { base: "edi", disp: 0x80 },
  { base: "ecx", disp: -0x80 },
  { base: "edx", disp: -0x81 },
  { base: "ebx", disp: 0x12345678 },
  { index: "eax", scale: 1, disp: 0 },
  { index: "ecx", scale: 2, disp: 0 },
  { index: "ebp", scale: 2, disp: 8 },
  { index: "edx", scale: 4, disp: 0 },
  { index: "esi", scale: 8, disp: 0x10 },
  { index: "esp", scale: 1, disp: 0 },
  { index: "ebp", scale: 1, disp: 0 },
  { base: "ebx", index: "esi", disp: 0 },
  { base: "ebp", index: "esi", disp: 0 },
  { base: "esi", index: "ebp", disp: 0 },
  { base: "eax", index: "esp", disp: 0 },
  { base: "esp", index: "ebp", disp: 0 },
  { base: "esp", index: "eax", scale: 4, disp: 0x10 },
  { base: "ebp", index: "edi", scale: 8, disp: -0x20 },
  { base: "eax", index: "ebx", scale: 2, disp: 0x1000 },
  { disp: 0x1234 },
  { disp: 0x12345678 },
  { disp: -4 },
  { base: "eax", disp: 0, dispSize: 8 },
  { base: "ebp", disp: 0, dispSize: 8 },
  { base: "ecx", disp: 4, dispSize: 32 },
  { base: "esp", disp: 0, dispSize: 32 },
  { index: "eax", scale: 2, disp: 0, dispSize: 32 },
  { index: "ecx", scale: 4, disp: 0, dispSize: 8 },
  { disp: 0x10, dispSize: 32 },
  { disp: 0x10, dispSize: 8 },
  { base: "eax", disp: 0, segment: "es" },
  { base: "ebp", disp: 4, segment: "ss" },
  { base: "esp", disp: 0, segment: "cs" },
  { base: "ebx", index: "ecx", disp: 0, segment: "ds" },
  { disp: 0x1234, segment: "fs" },
  { base: "edi", disp: -0x100, segment: "gs" },
  { base: "bx", index: "si", disp: 0 },
  { base: "bp", disp: 0 },
  { base: "di", disp: 0x10 },
  { disp: 0x10, dispSize: 16 },
  { index: "esp", scale: 2, disp: 0 },
  { base: "esp", index: "esp", disp: 0 },
];

function memory(form: Address, size?: OperandSize): MemoryOperand {
  const mem: MemoryOperand = {
    kind: "mem",
    scale: form.scale ?? 1,
    disp: form.disp,
    dispKnown: true,
    absolute: form.base === undefined && form.index === undefined,
  };
  if (size !== undefined) mem.size = size;
  if (form.base !== undefined) mem.base = form.base;
  if (form.index !== undefined) mem.index = form.index;
  if (form.dispSize !== undefined) mem.dispSize = form.dispSize;
  if (form.segment !== undefined) mem.segment = form.segment;
  return mem;
}

function immediate(value: number, extra: Partial<ImmediateOperand> = {}): ImmediateOperand {
  return { kind: "imm", value, known: true, ...extra };
}

const immediateValues: Readonly<Record<8 | 16 | 32, readonly number[]>> = {
  8: [0, 1, 5, 0x7f, 0x80, 0xff, -1, -0x80, 0x100],
  16: [0, 5, 0x7f, 0x80, 0xff80, 0x7fff, 0x8000, 0xffff, -1, -0x80, -0x81],
  32: [
    0, 1, 0x7f, 0x80, -0x80, -0x81, 0x7fffffff, 0x80000000, 0xffffffff, 0xffffff80, -1, 0x12345678,
  ],
};

const sizeSpecs: readonly Partial<ImmediateOperand>[] = [
  { size: 8 },
  { size: 16 },
  { size: 32 },
  { size: 8, strict: true },
  { size: 16, strict: true },
  { size: 32, strict: true },
];

const jumpOffsets: readonly number[] = [
  0, 2, 5, 0x10, -0x10, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x86, -0x7c, -0x7d, -0x7e, -0x7f, -0x80,
  -0x81, 0x1000, -0x1000, 0x12345,
];
const jumpSpecs: readonly Partial<ImmediateOperand>[] = [
  {},
  { distance: "short" },
  { distance: "near" },
  { distance: "near", strict: true },
  { distance: "short", strict: true },
  { strict: true },
  { size: 16 },
  { size: 32 },
  { distance: "near", size: 16 },
];

function sizeOf(type: OperandType): 8 | 16 | 32 {
  return type.endsWith("8") ? 8 : type.endsWith("16") || type === "ax" ? 16 : 32;
}

/** The variants one operand position takes, from its type in the row. */
function operandVariants(type: OperandType, row: IsaRow): Operand[] {
  const reg = (name: string): Operand => ({ kind: "reg", name });
  switch (type) {
    case "r8":
    case "r16":
    case "r32": {
      const size = sizeOf(type);
      return [...registers[size].map(reg), reg(wrongRegister[size])];
    }
    case "rm8":
    case "rm16":
    case "rm32": {
      const size = sizeOf(type);
      return [
        ...registers[size].map(reg),
        ...addressForms.map((form) => memory(form, size)),
        memory(addressForms[0]!),
        memory(addressForms[12]!),
        memory(addressForms[27]!),
        memory(addressForms[3]!, size === 32 ? 8 : 32),
      ];
    }
    case "m":
      return [
        ...addressForms.map((form) => memory(form)),
        memory(addressForms[5]!, 32),
        reg("eax"),
      ];
    case "moffs8":
    case "moffs16":
    case "moffs32": {
      const size = sizeOf(type);
      const plain = addressForms.filter((f) => f.base === undefined && f.index === undefined);
      return [...plain.map((form) => memory(form, size)), ...plain.map((form) => memory(form))];
    }
    case "imm8":
    case "imm16":
    case "imm32":
    case "simm8": {
      const size = type === "simm8" ? (row.operandSize as 16 | 32) : sizeOf(type);
      const values = immediateValues[size];
      return [
        ...values.map((v) => immediate(v)),
        ...sizeSpecs.flatMap((spec, i) => [
          immediate(values[i % values.length]!, spec),
          immediate(0x7f, spec),
        ]),
      ];
    }
    case "rel8":
    case "rel16":
    case "rel32":
      return jumpSpecs.flatMap((spec) => jumpOffsets.map((offset) => immediate(offset, spec)));
    case "sreg": {
      // No move to cs: NASM emits 8E C8, which the CPU refuses (#UD) and the disassembler
      // writes as db (test/unit/asm/fixtures/system-registers.asm has it).
      const names = segmentRegisterNames.filter(
        (name) => row.handler !== "movToSegment" || name !== "cs",
      );
      return [...names.map(reg), reg("cr0"), reg("al")];
    }
    case "sregOpcode": {
      const own = segmentRegisterNames[(row.opcode[row.opcode.length - 1]! >> 3) & 7]!;
      return [reg(own), reg(own === "ds" ? "es" : "ds"), reg("eax")];
    }
    case "creg":
    case "dreg": {
      const stem = type === "creg" ? "cr" : "dr";
      const numbers = [0, 2, 3, 4, 7, 1, 6];
      return [...numbers.map((n) => reg(`${stem}${n}`)), reg(type === "creg" ? "dr0" : "cr0")];
    }
    case "rm32Register":
      return [
        ...registers[32].map(reg),
        reg("ax"),
        memory(addressForms[0]!),
        memory(addressForms[1]!, 32),
      ];
    case "one":
      return [
        immediate(1),
        immediate(1, { size: 8 }),
        immediate(1, { strict: true }),
        immediate(1, { size: 32 }),
      ];
    default:
      return [reg(type)];
  }
}

function instruction(
  mnemonic: string,
  operands: Operand[],
  prefixes: string[] = [],
): SourceInstruction {
  return { mnemonic, prefixes, operands, bits: 32, address: 0 };
}

export interface CorpusOptions {
  /** Lines for a row whose shape was already covered by an earlier row (add after or). */
  readonly linesPerRepeatedShape: number;
  /** `bits 16` or `bits 32` (the default) for every line. */
  readonly bits?: 16 | 32;
}

/** The seed of the committed fixtures (test/oracle/asm/record.ts). */
export const committedSeed = 20261123;

/** The committed corpus's setting; the live check covers every row in full. */
export const committedCorpusOptions: CorpusOptions = { linesPerRepeatedShape: 10 };

/**
 * Rows of one shape (operand types, size, ModRM use, prefixes: the eight ALU operations,
 * the sixteen conditions ...) differ only in opcode bytes, so the first row of a shape
 * gets every variant and the others a seeded sample.
 */
function shapeOf(row: IsaRow): string {
  return [
    row.operands.join(","),
    row.operandSize,
    row.modrm,
    row.plusReg,
    row.prefixes.join(","),
  ].join("|");
}

/** Each-choice coverage: line j takes variant j of every position (shuffled, cycling). */
function rowLines(row: IsaRow, random: SeededRandom, lineCountMax: number): SourceInstruction[] {
  // Variant 0 of each type is its plainest (first register, zero, `$`), kept first so that
  // every row, even a sampled one, has a line NASM accepts.
  const variants = row.operands.map((type) => {
    const [plainest, ...rest] = operandVariants(type, row);
    return [plainest!, ...random.shuffled(rest)];
  });
  const count = Math.min(lineCountMax, Math.max(1, ...variants.map((v) => v.length)));
  const lines: SourceInstruction[] = [];
  for (let j = 0; j < count; j++) {
    lines.push(
      instruction(
        row.mnemonic,
        variants.map((v) => v[j % v.length]!),
      ),
    );
  }
  // Nothing in `push ds` says 16 bits: only o16 selects the 66-prefixed row.
  if (row.operandSize === 16 && row.operands.includes("sregOpcode")) {
    lines.push({ ...lines[0]!, prefixes: ["o16"] });
  }
  for (const prefix of row.prefixes) {
    const sample = random.pick(lines);
    lines.push({ ...sample, prefixes: [prefix] });
    if (prefix === "rep")
      lines.push({ ...sample, prefixes: ["rep", random.pick(["es", "fs", "ss"])] });
  }
  return lines;
}

/** NASM's other spellings of the same rows: aliases, swapped operands, imul r, imm. */
function alternativeLines(
  random: SeededRandom,
  rowSamples: Map<string, SourceInstruction[]>,
): SourceInstruction[] {
  const lines: SourceInstruction[] = [];
  for (const [alias, target] of mnemonicAliases) {
    for (const sample of (rowSamples.get(target) ?? []).slice(0, 3))
      lines.push({ ...sample, mnemonic: alias });
  }
  for (const mnemonic of ["xchg", "test"]) {
    for (const sample of rowSamples.get(mnemonic) ?? []) {
      if (sample.operands.length === 2 && random.below(3) === 0) {
        lines.push({ ...sample, operands: [sample.operands[1]!, sample.operands[0]!] });
      }
    }
  }
  for (const sample of rowSamples.get("imul") ?? []) {
    if (sample.operands.length === 3 && random.below(2) === 0) {
      lines.push({ ...sample, operands: [sample.operands[0]!, sample.operands[2]!] });
    }
  }
  return lines;
}

/** Prefix spellings and operand counts that exercise the prefix slots and the errors. */
function prefixLines(
  random: SeededRandom,
  rowSamples: Map<string, SourceInstruction[]>,
): SourceInstruction[] {
  const lines: SourceInstruction[] = [];
  const all = [...rowSamples.values()].flat();
  const prefixSets = [
    ["o16"],
    ["o32"],
    ["a16"],
    ["a32"],
    ["es"],
    ["fs"],
    ["lock"],
    ["rep"],
    ["repne"],
    ["lock", "es"],
    ["es", "lock"],
    ["o16", "rep"],
    ["rep", "o16"],
    ["rep", "repne"],
    ["es", "fs"],
    ["rep", "rep"],
  ];
  for (const prefixes of prefixSets) {
    for (let i = 0; i < 12; i++) {
      const sample = random.pick(all);
      if (!contradictsSizePrefix(sample, prefixes)) lines.push({ ...sample, prefixes });
    }
  }
  lines.push(
    instruction("nop", [
      { kind: "reg", name: "eax" },
      { kind: "reg", name: "ebx" },
    ]),
  );
  lines.push(
    instruction(
      "add",
      ["eax", "ebx", "ecx"].map((name) => ({ kind: "reg" as const, name })),
    ),
  );
  for (const name of ["pusha", "popa", "pushf", "popf", "pushaw", "popaw", "pushfw", "popfw"]) {
    lines.push(instruction(name, []));
  }
  // NASM's base-10 default.
  for (const name of ["aam", "aad"]) lines.push(instruction(name, []));
  return lines;
}

/**
 * An o16/o32 written against the instruction's own size (`o32 cmp word [eax], 1`, `o16 jge
 * near x`): NASM emits the prefix as written but the operands for their own size, bytes a
 * CPU (and the disassembler) reads as another instruction. Such lines compare nothing.
 */
function contradictsSizePrefix(sample: SourceInstruction, prefixes: readonly string[]): boolean {
  const prefixBits = prefixes.includes("o16") ? 16 : prefixes.includes("o32") ? 32 : 0;
  if (prefixBits === 0) return false;
  if (isJumpMnemonic(sample.mnemonic)) return true;
  return sample.operands.some((operand) => {
    const bits =
      operand.kind === "reg"
        ? (generalRegister(operand.name)?.sizeBits ?? 0)
        : operand.kind === "mem"
          ? (operand.size ?? 0)
          : 0;
    return bits !== 0 && bits !== 8 && bits !== prefixBits;
  });
}

export function generateCorpus(
  seed: number,
  options: CorpusOptions = committedCorpusOptions,
): CorpusLine[] {
  const random = new SeededRandom(seed);
  const rowSamples = new Map<string, SourceInstruction[]>();
  const lines: SourceInstruction[] = [];
  const shapesSeen = new Set<string>();
  for (const row of isaRows) {
    const shape = shapeOf(row);
    const generated = rowLines(
      row,
      random,
      shapesSeen.has(shape) ? options.linesPerRepeatedShape : Infinity,
    );
    shapesSeen.add(shape);
    lines.push(...generated);
    const samples = rowSamples.get(row.mnemonic) ?? [];
    samples.push(...random.shuffled(generated).slice(0, 4));
    rowSamples.set(row.mnemonic, samples);
  }
  lines.push(...alternativeLines(random, rowSamples), ...prefixLines(random, rowSamples));
  const seen = new Set<string>();
  const corpus: CorpusLine[] = [];
  for (const line of lines) {
    const template = { ...line, bits: options.bits ?? 32 };
    const text = formatInstruction(template, { relativeTargets: true });
    if (seen.has(text)) continue;
    seen.add(text);
    corpus.push({ template, text });
  }
  return corpus;
}

/** The template with its jump targets made absolute for an instruction at `address`. */
export function placeAt(template: SourceInstruction, address: number): SourceInstruction {
  if (!isJumpMnemonic(template.mnemonic)) return { ...template, address };
  const operands = template.operands.map((op) =>
    op.kind === "imm" ? { ...op, value: op.value + address } : op,
  );
  return { ...template, operands, address };
}

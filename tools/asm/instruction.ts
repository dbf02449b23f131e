// The contract between the assembler's front end (parsing, passes, output) and its
// encoder: one source instruction with its operands already evaluated for this pass.

export type OperandSize = 8 | 16 | 32 | 64;

/** A register operand, by NASM's lower-case name ("eax", "al", "cx", "es"). */
export interface RegisterOperand {
  kind: "reg";
  name: string;
}

/** An immediate, or the target of a jump/call given as an expression. */
export interface ImmediateOperand {
  kind: "imm";
  value: number;
  /** False while a forward reference is unresolved in an early pass (value is then 0). */
  known: boolean;
  /** `byte`/`word`/`dword` written before it. */
  size?: OperandSize;
  /** `strict` written before it: keep the written size even where a shorter form exists. */
  strict?: boolean;
  /** `short` or `near` written before a jump target. */
  distance?: "short" | "near";
  /**
   * The value depends on a label or section address (`label`, `$`, `$$`), so NASM would emit
   * it with a relocation: it never takes a sign-extended imm8 form, even where the value
   * fits (`push label` is 68 id). A relative jump target ignores it: the distance to a
   * label is not relocated.
   */
  relocatable?: boolean;
  /** Relative to a section other than the instruction's: NASM never makes a jump to it short. */
  otherSection?: boolean;
}

/** A memory reference `[seg: base + index*scale + disp]`. */
export interface MemoryOperand {
  kind: "mem";
  /** Size specifier written before it (`dword [x]`), if any. */
  size?: OperandSize;
  base?: string;
  index?: string;
  scale: 1 | 2 | 4 | 8;
  disp: number;
  /** False while the displacement holds an unresolved forward reference. */
  dispKnown: boolean;
  /** Not yet known, but a plain number (`b - a` of labels): may start as disp8, as in NASM. */
  dispConstant?: boolean;
  /** The displacement was written with an explicit `byte`/`dword` inside the brackets. */
  dispSize?: 8 | 16 | 32;
  /** Segment override written inside or before the brackets ("es", "fs", ...). */
  segment?: string;
  /** True when the expression had no register: a plain `[label]` (moffs forms allowed). */
  absolute: boolean;
  /**
   * The displacement depends on a label or section address, so NASM would emit it with a
   * relocation: after a register it is never a disp8 (or omitted when 0), only the full
   * width, unless `byte` was written inside the brackets.
   */
  relocatable?: boolean;
}

export type Operand = RegisterOperand | ImmediateOperand | MemoryOperand;

export interface SourceInstruction {
  /** Lower-case mnemonic ("mov", "rep movsb" is mnemonic "movsb" with prefix "rep"). */
  mnemonic: string;
  /** Prefixes written before the mnemonic in order: "rep", "repe", "repne", "lock", "o16", "a16", "cs" ... */
  prefixes: string[];
  operands: Operand[];
  /** `bits 16` or `bits 32` in force. */
  bits: 16 | 32;
  /** The address this instruction starts at (for relative jumps). */
  address: number;
  /** NASM's -O level: 0 and 1 keep long forms NASM's default (-Ox) would shorten. */
  optimization?: OptimizationLevel;
}

/**
 * NASM's optimiser levels. 0: jmp and immediates long unless `short`/`byte` is written, jcc
 * short; 1: immediates shortened, every jump long unless `short` is written; "x": shortest.
 */
export type OptimizationLevel = 0 | 1 | "x";

/** The encoder's answer: the bytes, or an error naming the operand at fault (0-based). */
export type EncodeResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; message: string; operandIndex?: number };

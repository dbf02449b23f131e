// Whether one encoding form accepts the source operands, by NASM's rules for sizes:
// registers and sized memory fix the operation size; `byte`/`word`/`dword` on an immediate
// select its field (and, where the immediate is the operation size, size an unsized memory
// operand); `strict` forbids the sign-extended byte forms; an unknown (forward) value
// never takes a short form, nor does a relocatable one (NASM emits a relocation, which a
// sign-extended byte cannot hold) unless `byte` was written; jump targets follow
// `short`/`near` and `bits`.

import type { OperandType } from "../../../vm/cpu/isa.ts";
import type { ImmediateOperand, MemoryOperand, OptimizationLevel } from "../instruction.ts";
import type { SystemRegister } from "../registers.ts";
import type { ClassifiedOperand } from "./classify-operands.ts";
import type { EncodingForm, MnemonicForms } from "./encoding-forms.ts";
import { fitsSignedByte } from "./immediate-value.ts";
import { operandTypeSizeBits } from "./operand-type-size.ts";

export interface FormMatch {
  readonly form: EncodingForm;
  /** Source index of a memory operand written without a size, or -1. */
  readonly unsizedMemoryIndex: number;
  /** The size this form gives that unsized memory operand. */
  readonly unsizedMemoryBits: number;
  /** Another operand of this form fixes that size (`add [eax], ebx`, `add [eax], byte 1`). */
  readonly unsizedMemoryResolved: boolean;
  /** Some operand fixes the operation size; otherwise `bits` chooses (push imm, jumps). */
  readonly sizePinned: boolean;
  /** Source index of a rel8 target to range-check once the length is known, or -1. */
  readonly shortJumpIndex: number;
}

export type FormFailure = "combination" | "size";

export type FormMatchResult =
  | { ok: true; match: FormMatch }
  | { ok: false; failure: FormFailure; operandIndex: number; matchedCount: number };

export interface MatchContext {
  readonly bits: 16 | 32;
  readonly optimization: OptimizationLevel;
  readonly mnemonicForms: MnemonicForms;
}

const fixedRegisterTypes: ReadonlySet<OperandType> = new Set(["al", "ax", "eax", "cl", "dx"]);
const sizingRegisterTypes: ReadonlySet<OperandType> = new Set([
  "r8",
  "r16",
  "r32",
  "rm8",
  "rm16",
  "rm32",
  "al",
  "ax",
  "eax",
]);

type OperandVerdict = "ok" | "pinned" | "unsized" | "short" | FormFailure;

/** Moves to and from segment registers: NASM takes a 16- or 32-bit register, or a word in memory. */
const segmentMoveHandlers: ReadonlySet<string> = new Set(["movFromSegment", "movToSegment"]);

function matchRegister(
  type: OperandType,
  name: string,
  sizeBits: number,
  form: EncodingForm,
): OperandVerdict {
  if (fixedRegisterTypes.has(type)) return type === name ? "pinned" : "combination";
  // `mov ds, eax` and `mov ds, ax` are both 8E /r without 0x66.
  if (form.row.handler === "movToSegment" && type === "rm16" && sizeBits !== 8) return "pinned";
  if (type.startsWith("r") && !type.startsWith("rel")) {
    return operandTypeSizeBits[type] === sizeBits ? "pinned" : "combination";
  }
  return "combination";
}

function matchMemory(type: OperandType, memory: MemoryOperand, form: EncodingForm): OperandVerdict {
  // NASM takes any size on lea's memory operand, and none on bound's or a lone one (lgdt,
  // invlpg): `bound edx, dword [x]` is "mismatch in operand sizes" (live oracle seed 43828323).
  if (type === "m") return memory.size === undefined || form.row.mnemonic === "lea" ? "ok" : "size";
  const isModrm = type === "rm8" || type === "rm16" || type === "rm32";
  const isOffset = type === "moffs8" || type === "moffs16" || type === "moffs32";
  // NASM keeps the moffs forms for plain `[address]`; `[byte address]` goes through ModRM.
  const isPlainAddress =
    memory.base === undefined && memory.index === undefined && memory.dispSize !== 8;
  if (isOffset && !isPlainAddress) return "combination";
  if (!isModrm && !isOffset) return "combination";
  // A segment register's memory operand is a word whatever the row's size; the shortest
  // form (no 0x66) wins, as in NASM's `mov [eax], ds` (8C 18).
  if (segmentMoveHandlers.has(form.row.handler)) {
    return memory.size === undefined || memory.size === 16 ? "pinned" : "size";
  }
  if (memory.size === undefined) return "unsized";
  return memory.size === operandTypeSizeBits[type] ? "pinned" : "size";
}

function matchImmediate(
  type: OperandType,
  immediate: ImmediateOperand,
  form: EncodingForm,
  position: number,
  optimization: OptimizationLevel,
): OperandVerdict {
  const spec = immediate.size;
  const tied = form.immediateTied[position]!;
  const operationSizeBits = form.row.operandSize;
  if (immediate.distance !== undefined) return "combination";
  if (spec !== undefined && !form.immediateSizeAllowed) return "size";
  switch (type) {
    case "one":
      return immediate.known && immediate.value === 1 && spec === undefined ? "ok" : "combination";
    case "imm8":
    case "imm16":
    case "imm32":
      if (spec === undefined) return "ok";
      if (spec !== operandTypeSizeBits[type]) return "size";
      return tied ? "pinned" : "ok";
    case "simm8": {
      // An unknown (forward) value is optimistically small, as NASM's first pass assumes.
      const fits =
        !immediate.known ||
        (!immediate.relocatable && fitsSignedByte(immediate.value, operationSizeBits as 16 | 32));
      if (spec === 8) return "ok";
      // -O0 shortens an immediate only where `byte` is written.
      if (optimization === 0 && spec === undefined) return "combination";
      // NASM only shortens an immediate it may resize: `strict` alone keeps the full size.
      if (spec === undefined) return fits && !immediate.strict ? "ok" : "combination";
      if (spec !== operationSizeBits) return "size";
      // -O0 keeps a written `dword`; -O1 and -Ox override it with the short form.
      return fits && !immediate.strict && optimization !== 0 ? "pinned" : "combination";
    }
    default:
      return "combination";
  }
}

function matchSystemRegister(
  type: OperandType,
  register: SystemRegister,
  form: EncodingForm,
): OperandVerdict {
  switch (type) {
    case "sreg":
      return register.family === "segment" ? "ok" : "combination";
    case "sregOpcode": {
      // push/pop es cs ss ds fs gs: each has its own opcode, the register in bits 3..5.
      const opcode = form.row.opcode[form.row.opcode.length - 1]!;
      return register.family === "segment" && register.number === ((opcode >> 3) & 7)
        ? "ok"
        : "combination";
    }
    case "creg":
      return register.family === "control" ? "ok" : "combination";
    case "dreg":
      return register.family === "debug" ? "ok" : "combination";
    default:
      return "combination";
  }
}

function matchJumpTarget(
  type: OperandType,
  target: ImmediateOperand,
  context: MatchContext,
  handler: string,
): OperandVerdict {
  const { hasShortJump, hasNearJump } = context.mnemonicForms;
  // Below -Ox NASM picks a jump's size from the mnemonic alone: near for jcc at -O1 and for
  // jmp and call at -O0 and -O1, unless `short` or `near` is written. A jcc at -O0 is short
  // where the target is in reach and near otherwise, as at -Ox.
  const conditional = handler === "jcc";
  const longByDefault = context.optimization === 1 || (context.optimization === 0 && !conditional);
  if (type === "rel8" && target.distance === undefined && hasNearJump && longByDefault) {
    return "combination";
  }
  if (type === "rel8") {
    if (target.distance === "near") return hasNearJump ? "combination" : "size";
    if (target.distance === "short" && !hasNearJump) return "size";
    if (target.size !== undefined) return "size";
    if (target.strict && target.distance === undefined && hasNearJump) return "combination";
    if (target.otherSection && target.distance === undefined && hasNearJump) return "combination";
    return "short";
  }
  if (type !== "rel16" && type !== "rel32") return "combination";
  if (target.distance === "short") return hasShortJump ? "combination" : "size";
  const sizeBits = operandTypeSizeBits[type]!;
  if (target.size === undefined) return sizeBits === context.bits ? "pinned" : "combination";
  if (target.size !== sizeBits) return "size";
  // NASM takes an explicit target size for jmp and call, and for jcc only after `near`.
  return handler === "jmp" || handler === "call" || target.distance === "near" ? "pinned" : "size";
}

function matchOperand(
  form: EncodingForm,
  position: number,
  operand: ClassifiedOperand,
  context: MatchContext,
): OperandVerdict {
  const type = form.row.operands[position]!;
  const isJump = type === "rel8" || type === "rel16" || type === "rel32";
  switch (operand.kind) {
    case "reg":
      return matchRegister(type, operand.register.name, operand.register.sizeBits, form);
    case "systemReg":
      return matchSystemRegister(type, operand.register, form);
    case "mem":
      return matchMemory(type, operand.memory, form);
    case "imm":
      return isJump
        ? matchJumpTarget(type, operand.immediate, context, form.row.handler)
        : matchImmediate(type, operand.immediate, form, position, context.optimization);
  }
}

/** Does the operand at `position` fix the size `sizeBits` of an unsized memory operand? */
function resolvesMemorySize(
  form: EncodingForm,
  position: number,
  operand: ClassifiedOperand,
  sizeBits: number,
): boolean {
  const type = form.row.operands[position]!;
  if (operand.kind === "reg") {
    return sizingRegisterTypes.has(type) && operand.register.sizeBits === sizeBits;
  }
  if (operand.kind === "imm")
    return form.immediateTied[position]! && operand.immediate.size === sizeBits;
  return false;
}

export function matchForm(
  form: EncodingForm,
  operands: readonly ClassifiedOperand[],
  context: MatchContext,
): FormMatchResult {
  let unsizedMemoryIndex = -1;
  let unsizedMemoryBits = 0;
  let unsizedPosition = -1;
  // A mnemonic without operands names its own size (movsw, cbw, pushaw).
  let sizePinned = form.row.operands.length === 0;
  let shortJumpIndex = -1;
  for (let position = 0; position < form.row.operands.length; position++) {
    const sourceIndex = form.sourceIndex[position]!;
    const verdict = matchOperand(form, position, operands[sourceIndex]!, context);
    if (verdict === "combination" || verdict === "size") {
      return { ok: false, failure: verdict, operandIndex: sourceIndex, matchedCount: position };
    }
    if (verdict === "pinned") sizePinned = true;
    if (verdict === "short") shortJumpIndex = sourceIndex;
    if (verdict === "unsized") {
      unsizedMemoryIndex = sourceIndex;
      unsizedPosition = position;
      unsizedMemoryBits = operandTypeSizeBits[form.row.operands[position]!]!;
    }
  }
  let unsizedMemoryResolved = false;
  if (unsizedMemoryIndex >= 0) {
    unsizedMemoryResolved = form.row.operands.some(
      (_, position) =>
        position !== unsizedPosition &&
        resolvesMemorySize(
          form,
          position,
          operands[form.sourceIndex[position]!]!,
          unsizedMemoryBits,
        ),
    );
  }
  return {
    ok: true,
    match: {
      form,
      unsizedMemoryIndex,
      unsizedMemoryBits,
      unsizedMemoryResolved,
      sizePinned,
      shortJumpIndex,
    },
  };
}

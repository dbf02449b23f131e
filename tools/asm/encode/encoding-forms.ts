// The encoding forms the encoder chooses from, per mnemonic: the ISA table's rows in table
// order, plus the operand orders NASM also accepts for the same rows. Those extras are NASM
// spellings, not new encodings: `xchg r, rm` (tried first, since NASM puts the first
// register of `xchg ecx, ebx` in ModRM.reg), `test r, rm`, and `imul r, imm` as
// `imul r, r, imm`. Built once at load time.

import { type IsaRow, isaRows, type OperandType } from "../../../vm/cpu/isa.ts";

export interface EncodingForm {
  readonly row: IsaRow;
  /** For each row operand, the index of the source operand it encodes. */
  readonly sourceIndex: readonly number[];
  readonly sourceCount: number;
  /**
   * Per row operand: the immediate's size is the operation size (ALU, mov, test, push
   * immediates), so `byte`/`word`/`dword` on it also sizes an unsized memory operand.
   * Shift counts, ports, `enter`/`ret` sizes and bit offsets are not tied.
   */
  readonly immediateTied: readonly boolean[];
  /** NASM accepts `byte`/`word`/`dword` on this form's immediates (not for enter, shld, shrd). */
  readonly immediateSizeAllowed: boolean;
  /**
   * F2 here is NASM's BND prefix, which it refuses to spell `repne`: on near jmp/jcc/call, ret
   * and indirect jumps always, on a short jcc when `short` was written.
   */
  readonly refusesRepne: "always" | "whenShort" | "never";
  /** jecxz counts with ecx, which takes 32-bit addressing (0x67 in 16-bit code). */
  readonly countsWithEcx: boolean;
}

export interface MnemonicForms {
  readonly forms: readonly EncodingForm[];
  /** The mnemonic has a rel8 form (so `short` is meaningful). */
  readonly hasShortJump: boolean;
  /** The mnemonic has rel16/rel32 forms (so `near` and `word`/`dword` are meaningful). */
  readonly hasNearJump: boolean;
}

function identity(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function isCountOperand(row: IsaRow, position: number, siblings: readonly IsaRow[]): boolean {
  return siblings.some(
    (other) => other.operands.length === row.operands.length && other.operands[position] === "cl",
  );
}

function tiedImmediates(row: IsaRow, siblings: readonly IsaRow[]): boolean[] {
  return row.operands.map((type, position) => {
    switch (type) {
      case "simm8":
        return true;
      case "imm8":
        return row.operandSize === 8 && !isCountOperand(row, position, siblings);
      case "imm16":
        return row.operandSize === 16;
      case "imm32":
        return row.operandSize === 32;
      default:
        return false;
    }
  });
}

const registerTypes: ReadonlySet<OperandType> = new Set(["r8", "r16", "r32", "al", "ax", "eax"]);
const registerOrMemoryTypes: ReadonlySet<OperandType> = new Set(["rm8", "rm16", "rm32"]);

/** Rows `op rm, r` (or `op acc, r`), whose two operands NASM lets the source swap. */
function isSwappablePair(row: IsaRow): boolean {
  const [first, second] = row.operands;
  return (
    row.operands.length === 2 &&
    (registerOrMemoryTypes.has(first!) || first === "ax" || first === "eax") &&
    registerTypes.has(second!)
  );
}

const unsizedImmediateMnemonics: ReadonlySet<string> = new Set(["enter", "shld", "shrd"]);
const branchHandlers: ReadonlySet<string> = new Set(["jmp", "jcc", "call", "ret"]);

function formsForRows(mnemonic: string, rows: readonly IsaRow[]): EncodingForm[] {
  const forms: EncodingForm[] = [];
  for (const row of rows) {
    const natural: EncodingForm = {
      row,
      sourceIndex: identity(row.operands.length),
      sourceCount: row.operands.length,
      immediateTied: tiedImmediates(row, rows),
      immediateSizeAllowed: !unsizedImmediateMnemonics.has(mnemonic),
      refusesRepne: !branchHandlers.has(row.handler)
        ? "never"
        : !row.operands.includes("rel8")
          ? "always"
          : row.handler === "jcc"
            ? "whenShort"
            : "never",
      countsWithEcx: row.handler === "jecxz",
    };
    const swapped: EncodingForm = { ...natural, sourceIndex: [1, 0] };
    if (mnemonic === "xchg" && isSwappablePair(row)) {
      forms.push(swapped, natural);
    } else if (mnemonic === "test" && isSwappablePair(row)) {
      forms.push(natural, swapped);
    } else if (mnemonic === "imul" && row.operands.length === 3) {
      forms.push(natural, { ...natural, sourceIndex: [0, 0, 1], sourceCount: 2 });
    } else {
      forms.push(natural);
    }
  }
  return forms;
}

function buildFormTable(): ReadonlyMap<string, MnemonicForms> {
  const rowsByMnemonic = new Map<string, IsaRow[]>();
  for (const row of isaRows) {
    const list = rowsByMnemonic.get(row.mnemonic) ?? [];
    list.push(row);
    rowsByMnemonic.set(row.mnemonic, list);
  }
  const table = new Map<string, MnemonicForms>();
  for (const [mnemonic, rows] of rowsByMnemonic) {
    table.set(mnemonic, {
      forms: formsForRows(mnemonic, rows),
      hasShortJump: rows.some((r) => r.operands.includes("rel8")),
      hasNearJump: rows.some((r) => r.operands.includes("rel16") || r.operands.includes("rel32")),
    });
  }
  return table;
}

const formTable = buildFormTable();

/** The forms of a row mnemonic (after alias resolution), or undefined if there is none. */
export function formsForMnemonic(mnemonic: string): MnemonicForms | undefined {
  return formTable.get(mnemonic);
}

// Finds the NASM spelling of a decoded instruction that assembles back to the very same
// bytes. It tries the plainest spelling first and adds only what NASM needs to pick this
// encoding: a size on memory, an explicit displacement size, `strict` immediate sizes,
// `near`, the other operand order of xchg. Each try is checked by encoding it with
// sterna's encoder (NASM's choices); if none matches, NASM cannot emit these bytes from
// an instruction (8B C3 for mov eax, ebx; 81 C0 id) and the caller writes `db`.

import { type IsaRow, prefixBytes } from "../../vm/cpu/isa.ts";
import { encodeInstruction } from "../asm/encode/index.ts";
import { operandTypeSizeBits } from "../asm/encode/operand-type-size.ts";
import type { Operand, SourceInstruction } from "../asm/instruction.ts";
import { segmentRegisterNames } from "../asm/registers.ts";
import type { DecodedInstruction, DecodedOperand } from "./decode-instruction.ts";

/** Segment override prefix byte -> register name. */
const segmentNames: ReadonlyMap<number, string> = new Map(
  segmentRegisterNames.map((name) => [prefixBytes[name]!, name]),
);

interface Spelling {
  /** `byte`/`word`/`dword` on memory operands. */
  readonly sizeMemory: boolean;
  /** The displacement size as encoded (`[byte eax+0x0]`, `[dword ecx+0x4]`). */
  readonly explicitDisplacement: boolean;
  /** `strict` sizes on immediates and `near` on long jumps. */
  readonly strictImmediates: boolean;
  /** xchg/test written with their operands the other way round. */
  readonly swapOperands: boolean;
  /**
   * 0x66 written as `o16` even where the row is the 16-bit one: the operands do not show the
   * size in `push ds` (66 1E) or `mov [eax], ds` (66 8C 18).
   */
  readonly explicitSizePrefix: boolean;
}

/** The spellings to try, plainest first; a size on memory reads best, `strict` worst. */
const levels: readonly Omit<Spelling, "swapOperands" | "explicitSizePrefix">[] = [
  false,
  true,
].flatMap((strictImmediates) =>
  [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ].map(([sizeMemory, explicitDisplacement]) => ({
    sizeMemory: sizeMemory!,
    explicitDisplacement: explicitDisplacement!,
    strictImmediates,
  })),
);

function spellOperand(decoded: DecodedOperand, row: IsaRow, spelling: Spelling): Operand {
  const { handler } = row;
  const { operand, type } = decoded;
  if (operand.kind === "mem") {
    const mem = { ...operand };
    if (spelling.sizeMemory && operandTypeSizeBits[type] !== undefined)
      mem.size = operandTypeSizeBits[type];
    if (spelling.explicitDisplacement && decoded.dispSizeBytes !== undefined) {
      // On a bare address only `byte` makes NASM keep the ModRM form (it then ignores it).
      if (mem.absolute) mem.dispSize = 8;
      else if (decoded.dispSizeBytes > 0)
        mem.dispSize = decoded.dispSizeBytes === 1 ? 8 : decoded.dispSizeBytes === 2 ? 16 : 32;
    }
    return mem;
  }
  if (operand.kind !== "imm") return operand;
  const imm = { ...operand };
  if (type === "rel8") {
    if (handler === "jmp" || handler === "jcc") imm.distance = "short";
  } else if (type === "rel16") {
    imm.size = 16;
    if (handler === "jcc") imm.distance = "near";
  } else if (type === "rel32") {
    if (spelling.strictImmediates) imm.distance = "near";
  } else if (spelling.strictImmediates && type === "simm8") {
    // `push word 5` (66 6A 05): the operation size, since a sign-extended byte is short anyway.
    imm.size = row.operandSize as 16 | 32;
  } else if (spelling.strictImmediates && operandTypeSizeBits[type] !== undefined) {
    imm.size = operandTypeSizeBits[type];
    imm.strict = true;
  }
  return imm;
}

function prefixNames(
  decoded: DecodedInstruction,
  operands: Operand[],
  explicitSizePrefix: boolean,
): string[] {
  const names: string[] = [];
  let sizePrefixImplied = decoded.row.operandSize === 16 && !explicitSizePrefix;
  const memory = operands.find((op) => op.kind === "mem");
  for (const byte of decoded.prefixBytes) {
    const segment = segmentNames.get(byte);
    if (segment !== undefined && memory !== undefined && memory.segment === undefined) {
      memory.segment = segment;
    } else if (segment !== undefined) {
      names.push(segment);
    } else if (byte === 0x67) {
      // 16-bit registers in an address already imply a16.
      if (memory === undefined || memory.absolute) names.push("a16");
    } else if (byte === 0x66 && sizePrefixImplied) {
      sizePrefixImplied = false;
    } else if (byte === 0x66) {
      names.push("o16");
    } else if (byte === 0xf0) {
      names.push("lock");
    } else if (byte === 0xf2) {
      names.push("repne");
    } else {
      names.push(decoded.row.prefixes.includes("repe") ? "repe" : "rep");
    }
  }
  return names;
}

function candidate(
  decoded: DecodedInstruction,
  address: number,
  spelling: Spelling,
): SourceInstruction {
  const operands = decoded.operands.map((op) => spellOperand(op, decoded.row, spelling));
  const prefixes = prefixNames(decoded, operands, spelling.explicitSizePrefix);
  // NASM refuses repne (its BND prefix) on a jcc written `short`; unwritten, a target in
  // reach is short anyway (F2 77 FD is `repne ja $`).
  if (decoded.row.handler === "jcc" && prefixes.includes("repne")) {
    for (const operand of operands) if (operand.kind === "imm") delete operand.distance;
  }
  // NASM's (and ndisasm's) `aam` and `aad` are base 10.
  const [only] = operands;
  const isAsciiAdjust = decoded.row.handler === "aam" || decoded.row.handler === "aad";
  if (isAsciiAdjust && only?.kind === "imm" && only.value === 10) operands.length = 0;
  if (spelling.swapOperands) operands.reverse();
  return { mnemonic: decoded.row.mnemonic, prefixes, operands, bits: 32, address };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The spelling NASM assembles to exactly `bytes`, or undefined if there is none. */
export function spellInstruction(
  decoded: DecodedInstruction,
  address: number,
  bytes: Uint8Array,
): SourceInstruction | undefined {
  const swappable =
    (decoded.row.mnemonic === "xchg" || decoded.row.mnemonic === "test") &&
    decoded.operands.length === 2;
  const hidesSizePrefix = decoded.row.operandSize === 16 && decoded.prefixBytes.includes(0x66);
  for (const explicitSizePrefix of hidesSizePrefix ? [false, true] : [false]) {
    for (const swapOperands of swappable ? [false, true] : [false]) {
      for (const level of levels) {
        const attempt = candidate(decoded, address, { ...level, swapOperands, explicitSizePrefix });
        const encoded = encodeInstruction(attempt);
        if (encoded.ok && sameBytes(encoded.bytes, bytes)) return attempt;
      }
    }
  }
  return undefined;
}

/** A readable (not necessarily reassemblable) spelling, for the comment beside a `db`. */
export function describeInstruction(
  decoded: DecodedInstruction,
  address: number,
): SourceInstruction {
  return candidate(decoded, address, {
    sizeMemory: true,
    explicitDisplacement: true,
    strictImmediates: false,
    swapOperands: false,
    explicitSizePrefix: false,
  });
}

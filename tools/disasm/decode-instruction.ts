// Decodes one instruction from bytes with the ISA table: prefixes, opcode, ModRM/SIB,
// displacement, immediates. The result is the row and its operands in source form, plain
// (no size keywords yet; spell-instruction.ts adds what NASM needs). A 0x67 prefix selects
// 16-bit addressing ([bx+si], #UD on sterna's CPU but valid NASM). Anything the table
// lacks, a register where the row needs memory, or bytes running out, decodes as
// nothing: the caller emits `db`.

import type { IsaRow, OperandType } from "../../vm/cpu/isa.ts";
import { generalRegisterName, type RegisterSizeBits } from "../asm/encode/registers.ts";
import type { MemoryOperand, Operand } from "../asm/instruction.ts";
import { type DecodeCandidate, decodeTable } from "./decode-table.ts";

export interface DecodedOperand {
  readonly type: OperandType;
  readonly operand: Operand;
  /** For memory through ModRM: the displacement bytes the encoding used. */
  readonly dispSizeBytes?: number;
}

export interface DecodedInstruction {
  readonly row: IsaRow;
  /** Prefix bytes in the order they appeared. */
  readonly prefixBytes: readonly number[];
  readonly operands: readonly DecodedOperand[];
  readonly lengthBytes: number;
}

const maxInstructionBytes = 15;
const prefixByteSet: ReadonlySet<number> = new Set([
  0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67,
]);

/** A little-endian reader that reports running past the end instead of throwing. */
class ByteCursor {
  overrun = false;

  constructor(
    private readonly bytes: Uint8Array,
    public position: number,
  ) {}

  u8(): number {
    if (this.position >= this.bytes.length) {
      this.overrun = true;
      return 0;
    }
    return this.bytes[this.position++]!;
  }

  signed(sizeBytes: number): number {
    const value = this.unsigned(sizeBytes);
    const shift = 32 - 8 * sizeBytes;
    return (value << shift) >> shift;
  }

  unsigned(sizeBytes: number): number {
    let value = 0;
    for (let i = 0; i < sizeBytes; i++) value |= this.u8() << (8 * i);
    return value >>> 0;
  }
}

const sizeBitsOfType: Partial<Record<OperandType, RegisterSizeBits>> = {
  r8: 8,
  rm8: 8,
  r16: 16,
  rm16: 16,
  r32: 32,
  rm32: 32,
};

function register(sizeBits: RegisterSizeBits, number: number): Operand {
  return { kind: "reg", name: generalRegisterName(sizeBits, number) };
}

function chooseRow(
  candidates: readonly DecodeCandidate[],
  operandSizeBits: 16 | 32,
  reg: number,
): DecodeCandidate | undefined {
  const fitting = candidates.filter(({ row }) => {
    const sizeFits =
      row.operandSize === 0 || row.operandSize === 8 || row.operandSize === operandSizeBits;
    return sizeFits && (row.modrm !== "digit" || row.digit === reg);
  });
  // 90 is both `nop` and `xchg eax, eax`; NASM spells it nop.
  return fitting.find((c) => c.opcodeRegister < 0) ?? fitting[0];
}

function decodeModrmMemory(
  cursor: ByteCursor,
  mod: number,
  rm: number,
): { memory: MemoryOperand; dispSizeBytes: number } {
  let base: string | undefined;
  let index: string | undefined;
  let scale: 1 | 2 | 4 | 8 = 1;
  let dispSizeBytes = mod === 1 ? 1 : mod === 2 ? 4 : 0;
  if (rm === 4) {
    const sib = cursor.u8();
    scale = (1 << (sib >> 6)) as 1 | 2 | 4 | 8;
    const indexNumber = (sib >> 3) & 7;
    const baseNumber = sib & 7;
    // Without an index the scale bits mean nothing (and NASM never sets them).
    if (indexNumber !== 4) index = generalRegisterName(32, indexNumber);
    else scale = 1;
    if (baseNumber === 5 && mod === 0) dispSizeBytes = 4;
    else base = generalRegisterName(32, baseNumber);
  } else if (rm === 5 && mod === 0) {
    dispSizeBytes = 4;
  } else {
    base = generalRegisterName(32, rm);
  }
  const absolute = base === undefined && index === undefined;
  const disp =
    dispSizeBytes === 0 ? 0 : absolute ? cursor.unsigned(4) : cursor.signed(dispSizeBytes);
  const memory: MemoryOperand = { kind: "mem", scale, disp, dispKnown: true, absolute };
  if (base !== undefined) memory.base = base;
  if (index !== undefined) memory.index = index;
  return { memory, dispSizeBytes };
}

/** 16-bit ModRM.rm -> [base, index] registers. */
const registers16ByRm: readonly (readonly [string, string | undefined])[] = [
  ["bx", "si"],
  ["bx", "di"],
  ["bp", "si"],
  ["bp", "di"],
  ["si", undefined],
  ["di", undefined],
  ["bp", undefined],
  ["bx", undefined],
];

function decodeModrmMemory16(
  cursor: ByteCursor,
  mod: number,
  rm: number,
): { memory: MemoryOperand; dispSizeBytes: number } {
  if (mod === 0 && rm === 6) {
    return {
      memory: { kind: "mem", scale: 1, disp: cursor.unsigned(2), dispKnown: true, absolute: true },
      dispSizeBytes: 2,
    };
  }
  const [base, index] = registers16ByRm[rm]!;
  const dispSizeBytes = mod === 1 ? 1 : mod === 2 ? 2 : 0;
  const disp = dispSizeBytes === 0 ? 0 : cursor.signed(dispSizeBytes);
  const memory: MemoryOperand = {
    kind: "mem",
    base,
    scale: 1,
    disp,
    dispKnown: true,
    absolute: false,
  };
  if (index !== undefined) memory.index = index;
  return { memory, dispSizeBytes };
}

export function decodeInstruction(
  bytes: Uint8Array,
  offset: number,
  address: number,
): DecodedInstruction | undefined {
  const cursor = new ByteCursor(bytes, offset);
  const prefixBytes: number[] = [];
  while (cursor.position < bytes.length && prefixByteSet.has(bytes[cursor.position]!)) {
    prefixBytes.push(cursor.u8());
    if (prefixBytes.length >= maxInstructionBytes) return undefined;
  }
  const addressSizeBits = prefixBytes.includes(0x67) ? 16 : 32;
  const operandSizeBits = prefixBytes.includes(0x66) ? 16 : 32;
  let opcode = cursor.u8();
  let candidates = decodeTable.oneByte[opcode]!;
  if (opcode === 0x0f) {
    opcode = cursor.u8();
    candidates = decodeTable.twoByte[opcode]!;
  }
  if (candidates.length === 0 || cursor.overrun) return undefined;
  const needsModrm = candidates.some((c) => c.row.modrm !== "none");
  const modrm = needsModrm ? cursor.u8() : 0;
  const mod = modrm >> 6;
  const reg = (modrm >> 3) & 7;
  const chosen = chooseRow(candidates, operandSizeBits, reg);
  if (chosen === undefined) return undefined;
  const { row } = chosen;

  const operands: DecodedOperand[] = [];
  for (const type of row.operands) {
    const sizeBits = sizeBitsOfType[type];
    switch (type) {
      case "r8":
      case "r16":
      case "r32":
        operands.push({
          type,
          operand: register(sizeBits!, row.plusReg ? chosen.opcodeRegister : reg),
        });
        break;
      case "rm8":
      case "rm16":
      case "rm32":
      case "m": {
        if (mod === 3) {
          if (type === "m") return undefined;
          operands.push({ type, operand: register(sizeBits!, modrm & 7) });
        } else {
          const decodeMemory = addressSizeBits === 16 ? decodeModrmMemory16 : decodeModrmMemory;
          const { memory, dispSizeBytes } = decodeMemory(cursor, mod, modrm & 7);
          operands.push({ type, operand: memory, dispSizeBytes });
        }
        break;
      }
      case "moffs8":
      case "moffs16":
      case "moffs32":
        operands.push({
          type,
          operand: {
            kind: "mem",
            scale: 1,
            disp: cursor.unsigned(addressSizeBits / 8),
            dispKnown: true,
            absolute: true,
          },
        });
        break;
      case "imm8":
        operands.push({ type, operand: { kind: "imm", value: cursor.unsigned(1), known: true } });
        break;
      case "imm16":
        operands.push({ type, operand: { kind: "imm", value: cursor.unsigned(2), known: true } });
        break;
      case "imm32":
        operands.push({ type, operand: { kind: "imm", value: cursor.unsigned(4), known: true } });
        break;
      case "simm8":
        operands.push({ type, operand: { kind: "imm", value: cursor.signed(1), known: true } });
        break;
      case "rel8":
      case "rel16":
      case "rel32": {
        const sizeBytes = type === "rel8" ? 1 : type === "rel16" ? 2 : 4;
        const displacement = cursor.signed(sizeBytes);
        const end = address + (cursor.position - offset);
        operands.push({
          type,
          operand: { kind: "imm", value: (end + displacement) >>> 0, known: true },
        });
        break;
      }
      case "one":
        operands.push({ type, operand: { kind: "imm", value: 1, known: true } });
        break;
      default:
        operands.push({ type, operand: { kind: "reg", name: type } });
    }
  }
  const lengthBytes = cursor.position - offset;
  if (cursor.overrun || lengthBytes > maxInstructionBytes) return undefined;
  return { row, prefixBytes, operands, lengthBytes };
}

// Decodes one instruction with the CPU's own decoder (vm/cpu/decoder.ts), so a listing shows
// what the CPU executes, and turns the decoded slot into the row and its operands in source
// form, plain (no size keywords yet; spell-instruction.ts adds what NASM needs). The decoder
// is asked for the forms NASM writes that the CPU refuses with #UD: 0x67 16-bit addressing
// ([bx+si]) and lock where the CPU allows none. Anything else the CPU cannot decode (no row,
// a register where the row needs memory, bytes running out) decodes as nothing: the caller
// emits `db`.

import { OperandKind, rowOperandBits, rowOperandKinds } from "../../vm/cpu/decode-table.ts";
import {
  DecodedInstructions,
  LOCATION_MEMORY,
  PREFIX_ADDRESS_SIZE_16,
  REGISTER_ZERO,
  SLOT_SCRATCH,
} from "../../vm/cpu/decoded-instructions.ts";
import { Decoder } from "../../vm/cpu/decoder.ts";
import { type IsaRow, isaRows, type OperandType } from "../../vm/cpu/isa.ts";
import type { MemoryOperand, Operand } from "../asm/instruction.ts";
import {
  generalRegisterName,
  type RegisterSizeBits,
  type SystemRegisterFamily,
  systemRegisterName,
} from "../asm/registers.ts";

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

const decoder = new Decoder({ decodesRefusedForms: true });
const decoded = new DecodedInstructions(SLOT_SCRATCH + 1);
const slot = SLOT_SCRATCH;

function register(sizeBits: number, number: number): Operand {
  return { kind: "reg", name: generalRegisterName(sizeBits as RegisterSizeBits, number) };
}

const systemRegisterFamilyOf: Partial<Record<OperandType, SystemRegisterFamily>> = {
  sreg: "segment",
  sregOpcode: "segment",
  creg: "control",
  dreg: "debug",
};

function memory(absolute: boolean, disp: number): MemoryOperand {
  return { kind: "mem", scale: 1, disp, dispKnown: true, absolute };
}

/** The slot's base/index/scale/displacement, with 16-bit registers after 0x67. */
function modrmMemory(): MemoryOperand {
  const base = decoded.base[slot]!;
  const index = decoded.index[slot]!;
  const addressSizeBits = (decoded.prefixes[slot]! & PREFIX_ADDRESS_SIZE_16) !== 0 ? 16 : 32;
  const absolute = base === REGISTER_ZERO && index === REGISTER_ZERO;
  const mem = memory(absolute, absolute ? decoded.disp[slot]! >>> 0 : decoded.disp[slot]!);
  if (base !== REGISTER_ZERO) mem.base = generalRegisterName(addressSizeBits, base);
  // Without an index the scale bits mean nothing (and NASM never sets them).
  if (index !== REGISTER_ZERO) {
    mem.index = generalRegisterName(addressSizeBits, index);
    mem.scale = (1 << decoded.scale[slot]!) as 1 | 2 | 4 | 8;
  }
  return mem;
}

function immediate(value: number): Operand {
  return { kind: "imm", value, known: true };
}

export function decodeInstruction(
  bytes: Uint8Array,
  offset: number,
  address: number,
): DecodedInstruction | undefined {
  const lengthBytes = decoder.decode(bytes.subarray(offset), bytes.length - offset, decoded, slot);
  if (lengthBytes <= 0) return undefined;
  const rowIndex = decoded.row[slot]!;
  const row = isaRows[rowIndex]!;
  // The decoder fills dst then src with locations, imm then imm2 with values, in row order.
  const locations = [decoded.dst[slot]!, decoded.src[slot]!];
  const values = [decoded.imm[slot]!, decoded.imm2[slot]!];
  let locationsTaken = 0;
  let valuesTaken = 0;
  const operands = row.operands.map((type, i): DecodedOperand => {
    const bits = rowOperandBits[rowIndex * 3 + i]!;
    switch (rowOperandKinds[rowIndex * 3 + i]) {
      case OperandKind.Reg:
        return { type, operand: register(bits, locations[locationsTaken++]!) };
      case OperandKind.RmRegister:
        return { type, operand: register(32, locations[locationsTaken++]!) };
      case OperandKind.Sreg:
      case OperandKind.SregOpcode:
      case OperandKind.SystemRegister: {
        const name = systemRegisterName(systemRegisterFamilyOf[type]!, values[valuesTaken++]!);
        return { type, operand: { kind: "reg", name } };
      }
      case OperandKind.Rm:
      case OperandKind.Mem: {
        const location = locations[locationsTaken++]!;
        if (location !== LOCATION_MEMORY) return { type, operand: register(bits, location) };
        return { type, operand: modrmMemory(), dispSizeBytes: decoder.dispSizeBytes };
      }
      case OperandKind.Moffs:
        locationsTaken++;
        return { type, operand: memory(true, decoded.disp[slot]! >>> 0) };
      case OperandKind.Acc:
      case OperandKind.Dx:
        locationsTaken++;
        return { type, operand: { kind: "reg", name: type } };
      case OperandKind.Cl:
        valuesTaken++;
        return { type, operand: { kind: "reg", name: type } };
      case OperandKind.Rel8:
      case OperandKind.Rel16:
      case OperandKind.Rel32:
        return { type, operand: immediate((address + lengthBytes + values[valuesTaken++]!) >>> 0) };
      default: {
        // imm8/imm16 arrive zero-extended, simm8 sign-extended, imm32 as a signed dword.
        const value = values[valuesTaken++]!;
        return { type, operand: immediate(type === "imm32" ? value >>> 0 : value) };
      }
    }
  });
  const prefixBytes = [...bytes.subarray(offset, offset + decoder.prefixSizeBytes)];
  return { row, prefixBytes, operands, lengthBytes };
}

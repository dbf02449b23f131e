// Decodes one instruction from its bytes into a DecodedInstructions slot, driven by the
// tables built from isa.ts: prefixes, opcode (one-byte or 0x0F map), ModRM/SIB/displacement
// with 32-bit addressing, immediates. The decoder reads only the bytes it is given and
// reports when it needs more (the instruction continues on the next page), so the CPU
// fetches that page only when an instruction really extends into it. The disassembler
// decodes with it too, asking for the forms NASM writes that the CPU refuses (0x67 16-bit
// addressing, a misplaced lock) and reading the encoding details a listing needs.

import { cpuCostCycles } from "./cost-table.ts";
import {
  addressOnly,
  groupOfEntry,
  groupTable,
  ModrmKind,
  OperandKind,
  opcodeTable,
  rowBaseCostCycles,
  rowCc,
  rowHandler,
  rowLockable,
  rowModrm,
  rowOperandCount,
  rowOperandKinds,
  rowPlusReg,
  rowRmAlwaysRegister,
  rowSize,
} from "./decode-table.ts";
import {
  type DecodedInstructions,
  LOCATION_IMMEDIATE,
  LOCATION_MEMORY,
  LOCATION_NONE,
  PREFIX_ADDRESS_SIZE_16,
  PREFIX_LOCK,
  PREFIX_REP,
  PREFIX_REPNE,
  REGISTER_ZERO,
} from "./decoded-instructions.ts";
import { chooseFastKind } from "./fast-kind.ts";

/** The bytes given end before the instruction does. */
export const DECODE_NEED_BYTES = 0;
/** Undefined or unsupported opcode, 0x67, a misplaced lock, or a register where memory is required: #UD. */
export const DECODE_UNDEFINED = -1;
/** Longer than 15 bytes: #GP(0). */
export const DECODE_TOO_LONG = -2;

export const instructionBytesMax = 15;

export interface DecoderOptions {
  /**
   * Also decode what NASM writes but the CPU refuses with #UD: 0x67 (16-bit addressing,
   * marked PREFIX_ADDRESS_SIZE_16 in the slot) and lock on a register or a non-lockable
   * instruction. For listings only; the CPU's decoder leaves it off.
   */
  readonly decodesRefusedForms?: boolean;
}

const segmentRegisterCs = 1;
const segmentRegistersCount = 6;

/** ModRM.rm with 16-bit addressing: bx+si, bx+di, bp+si, bp+di, si, di, bp, bx. */
const noIndex = REGISTER_ZERO;
const base16OfRm = Uint8Array.of(3, 3, 5, 5, 6, 7, 5, 3);
const index16OfRm = Uint8Array.of(6, 7, 6, 7, noIndex, noIndex, noIndex, noIndex);

export class Decoder {
  /** Prefix bytes before the opcode of the instruction last decoded. */
  prefixSizeBytes = 0;
  /** Displacement bytes the last instruction's ModRM encoded: 0, 1, 2 or 4 (moffs aside). */
  dispSizeBytes = 0;
  private readonly decodesRefusedForms: boolean;
  private bytes: Uint8Array = new Uint8Array(0);
  private available = 0;
  private position = 0;
  private status = 1;

  constructor(options: DecoderOptions = {}) {
    this.decodesRefusedForms = options.decodesRefusedForms ?? false;
  }

  /**
   * Decodes the instruction at the start of `bytes` (of which `available` are valid) into
   * `slot`. Returns its length, or DECODE_NEED_BYTES / DECODE_UNDEFINED / DECODE_TOO_LONG.
   */
  decode(bytes: Uint8Array, available: number, out: DecodedInstructions, slot: number): number {
    this.bytes = bytes;
    this.available = available;
    this.position = 0;
    this.status = 1;

    let operandSize16 = false;
    let addressSize16 = false;
    let prefixes = 0;
    let opcode = this.byte();
    for (;;) {
      if (opcode === 0x66) operandSize16 = true;
      else if (opcode === 0xf3) prefixes = (prefixes & ~PREFIX_REPNE) | PREFIX_REP;
      else if (opcode === 0xf2) prefixes = (prefixes & ~PREFIX_REP) | PREFIX_REPNE;
      else if (opcode === 0xf0) prefixes |= PREFIX_LOCK;
      else if (opcode === 0x67) {
        if (!this.decodesRefusedForms) return this.fail(DECODE_UNDEFINED);
        addressSize16 = true;
        prefixes |= PREFIX_ADDRESS_SIZE_16;
      } else if (!isSegmentOverride(opcode)) break;
      if (this.status !== 1) return this.status;
      opcode = this.byte();
    }
    this.prefixSizeBytes = this.position - 1;
    let map = 0;
    if (opcode === 0x0f) {
      map = 1;
      opcode = this.byte();
    }
    const entry = opcodeTable[(operandSize16 ? 512 : 0) + map * 256 + opcode]!;
    if (this.status !== 1) return this.status;
    if (entry === -1) return DECODE_UNDEFINED;

    let modrm = -1;
    let row = entry;
    if (entry < -1) {
      modrm = this.byte();
      row = groupTable[groupOfEntry(entry) * 8 + ((modrm >> 3) & 7)]!;
      if (this.status !== 1) return this.status;
      if (row < 0) return DECODE_UNDEFINED;
    } else if (rowModrm[row] !== ModrmKind.None) {
      modrm = this.byte();
    }

    // ModRM operand: a register, or base/index/scale/displacement.
    let rmLocation = LOCATION_NONE;
    let base = REGISTER_ZERO;
    let index = REGISTER_ZERO;
    let scale = 0;
    let disp = 0;
    let dispSizeBytes = 0;
    if (modrm >= 0) {
      const mod = modrm >> 6;
      const rm = modrm & 7;
      if (mod === 3 || rowRmAlwaysRegister[row]) {
        rmLocation = rm;
      } else if (addressSize16) {
        rmLocation = LOCATION_MEMORY;
        if (mod === 0 && rm === 6) {
          dispSizeBytes = 2;
          disp = this.word();
        } else {
          base = base16OfRm[rm]!;
          index = index16OfRm[rm]!;
          dispSizeBytes = mod; // 0, 1 or 2 bytes, as mod says
          if (mod === 1) disp = (this.byte() << 24) >> 24;
          else if (mod === 2) disp = (this.word() << 16) >> 16;
        }
      } else {
        rmLocation = LOCATION_MEMORY;
        dispSizeBytes = mod === 1 ? 1 : mod === 2 ? 4 : 0;
        if (rm === 4) {
          const sib = this.byte();
          scale = sib >> 6;
          const sibIndex = (sib >> 3) & 7;
          if (sibIndex !== 4) index = sibIndex;
          if ((sib & 7) === 5 && mod === 0) dispSizeBytes = 4;
          else base = sib & 7;
        } else if (rm === 5 && mod === 0) {
          dispSizeBytes = 4;
        } else {
          base = rm;
        }
        if (dispSizeBytes === 1) disp = (this.byte() << 24) >> 24;
        else if (dispSizeBytes === 4) disp = this.dword();
      }
    }
    this.dispSizeBytes = dispSizeBytes;
    const reg = rowPlusReg[row] ? opcode & 7 : (modrm >> 3) & 7;

    // Operands in Intel order: locations fill dst then src, values fill imm then imm2.
    let dst = LOCATION_NONE;
    let src = LOCATION_NONE;
    let imm = 0;
    let imm2 = 0;
    let values = 0;
    const operandCount = rowOperandCount[row]!;
    for (let i = 0; i < operandCount; i++) {
      const kind = rowOperandKinds[row * 3 + i]!;
      let location = LOCATION_NONE;
      let value = 0;
      switch (kind) {
        case OperandKind.Reg:
          location = reg;
          break;
        case OperandKind.Rm:
          location = rmLocation;
          break;
        case OperandKind.Mem:
          if (rmLocation !== LOCATION_MEMORY) return this.fail(DECODE_UNDEFINED);
          location = LOCATION_MEMORY;
          break;
        case OperandKind.Moffs:
          disp = addressSize16 ? this.word() : this.dword();
          location = LOCATION_MEMORY;
          break;
        case OperandKind.Acc:
          location = 0;
          break;
        case OperandKind.Dx:
          location = 2;
          break;
        case OperandKind.Imm8:
          value = this.byte();
          break;
        case OperandKind.Imm16:
          value = this.word();
          break;
        case OperandKind.Imm32:
        case OperandKind.Rel32:
          value = this.dword();
          break;
        case OperandKind.Simm8:
        case OperandKind.Rel8:
          value = (this.byte() << 24) >> 24;
          break;
        case OperandKind.Rel16:
          value = (this.word() << 16) >> 16;
          break;
        case OperandKind.One:
          value = 1;
          break;
        case OperandKind.Sreg:
          // No segment registers 6 and 7; cs is never a move's destination.
          if (reg >= segmentRegistersCount || (i === 0 && reg === segmentRegisterCs)) {
            return this.fail(DECODE_UNDEFINED);
          }
          value = reg;
          break;
        case OperandKind.SregOpcode:
          value = (opcode >> 3) & 7;
          break;
        case OperandKind.SystemRegister:
          value = reg;
          break;
        case OperandKind.RmRegister:
          location = rmLocation;
          break;
        default:
          value = -1;
          break;
      }
      if (location !== LOCATION_NONE) {
        if (dst === LOCATION_NONE) dst = location;
        else src = location;
      } else if (values++ === 0) {
        imm = value;
        if (dst !== LOCATION_NONE && src === LOCATION_NONE) src = LOCATION_IMMEDIATE;
      } else {
        imm2 = value;
      }
    }
    if (this.status !== 1) return this.status;
    if (
      (prefixes & PREFIX_LOCK) !== 0 &&
      (!rowLockable[row] || dst !== LOCATION_MEMORY) &&
      !this.decodesRefusedForms
    ) {
      return DECODE_UNDEFINED;
    }

    const handler = rowHandler[row]!;
    const touchesMemory = rmLocation === LOCATION_MEMORY || dst === LOCATION_MEMORY;
    out.row[slot] = row;
    out.handler[slot] = handler;
    out.size[slot] = rowSize[row]!;
    out.lengthBytes[slot] = this.position;
    out.dst[slot] = dst;
    out.src[slot] = src;
    out.base[slot] = base;
    out.index[slot] = index;
    out.scale[slot] = scale;
    out.disp[slot] = disp;
    out.imm[slot] = imm;
    out.imm2[slot] = imm2;
    out.cc[slot] = rowCc[row]!;
    out.prefixes[slot] = prefixes;
    out.costCycles[slot] =
      rowBaseCostCycles[row]! +
      (touchesMemory && !addressOnly(handler) ? cpuCostCycles.memoryOperand : 0);
    out.kind[slot] = chooseFastKind(out, slot);
    return this.position;
  }

  private fail(code: number): number {
    return this.status !== 1 ? this.status : code;
  }

  private byte(): number {
    const position = this.position;
    if (position >= instructionBytesMax) {
      if (this.status === 1) this.status = DECODE_TOO_LONG;
      return 0;
    }
    if (position >= this.available) {
      if (this.status === 1) this.status = DECODE_NEED_BYTES;
      return 0;
    }
    this.position = position + 1;
    return this.bytes[position]!;
  }

  private word(): number {
    return this.byte() | (this.byte() << 8);
  }

  private dword(): number {
    return this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24);
  }
}

function isSegmentOverride(byte: number): boolean {
  return (
    byte === 0x26 ||
    byte === 0x2e ||
    byte === 0x36 ||
    byte === 0x3e ||
    byte === 0x64 ||
    byte === 0x65
  );
}

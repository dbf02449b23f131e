// The i386 CPU at CPL 3 in flat 32-bit protected mode: registers, lazy EFLAGS, the run
// loop and guest memory access through the MMU's TLB. Instructions are decoded once per
// physical page (decode-cache.ts) and executed by specialised cases here (fast-kind.ts)
// or by the size-generic handlers (execute.ts, execute-string.ts). Exceptions are precise:
// an instruction changes registers only after its last access that can fault, so on a
// fault the state is as before it and eip points at it. `int n` is a trap (eip after it).
// Left out: segmentation (flat), CPL 0, interrupts (the machine stops the run instead),
// x87/MMX/SSE, alignment checks, the 0x67 prefix.

import type { PhysicalMemory } from "../memory/physical-memory.ts";
import { Access, type Mmu } from "../mmu/mmu.ts";
import { tlbIndexMask } from "../mmu/tlb.ts";
import { cpuCostCycles } from "./cost-table.ts";
import type { CpuState } from "./cpu-state.ts";
import { DecodeCache } from "./decode-cache.ts";
import {
  LOCATION_IMMEDIATE,
  LOCATION_MEMORY,
  SLOT_NONE,
  SLOT_SCRATCH,
} from "./decoded-instructions.ts";
import { DECODE_NEED_BYTES, DECODE_UNDEFINED, Decoder, instructionBytesMax } from "./decoder.ts";
import {
  VECTOR_GENERAL_PROTECTION,
  VECTOR_INVALID_OPCODE,
  VECTOR_PAGE_FAULT,
} from "./exception-vector.ts";
import { executeGeneric, STATUS_TRAP } from "./execute.ts";
import { executeString } from "./execute-string.ts";
import { AluOp, FastKind, ShiftOp } from "./fast-kind.ts";
import { guestFault } from "./guest-fault.ts";
import { LazyFlags, LazyOp } from "./lazy-flags.ts";
import { StopReason } from "./stop-reason.ts";

export type { CpuState } from "./cpu-state.ts";

export const ESP = 4;
export const EBP = 5;

/** Entries in the ring of recently executed eips. */
export const recentEipsMax = 1024;

export class Cpu {
  /** EAX ECX EDX EBX ESP EBP ESI EDI. */
  readonly regs: Int32Array;
  /** The same registers plus a ninth that always reads 0 (absent base/index). */
  readonly r: Int32Array;
  readonly flags = new LazyFlags();
  eip = 0;
  /** Total cycles executed (float64 counter; the machine also charges kernel work here). */
  cycles = 0;
  /** Total instructions retired. */
  instructions = 0;
  /** After StopReason.Trap: the vector n of `int n`. */
  trapVector = 0;
  /** After StopReason.Exception: the vector and error code. */
  exceptionVector = 0;
  exceptionErrorCode = 0;

  readonly cache: DecodeCache;
  private readonly decoder = new Decoder();
  private readonly fetchBytes = new Uint8Array(instructionBytesMax + 1);
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly tlbReadTag: Int32Array;
  private readonly tlbWriteTag: Int32Array;
  private readonly tlbFrame: Int32Array;
  /** Linear page number the fetch table belongs to, or -1. */
  private fetchPage = -1;
  private fetchTable: Int32Array = new Int32Array(0);
  private readonly eipRing = new Int32Array(recentEipsMax);
  private eipRingCount = 0;

  constructor(
    readonly mmu: Mmu,
    readonly memory: PhysicalMemory,
  ) {
    this.r = new Int32Array(9);
    this.regs = this.r.subarray(0, 8);
    this.bytes = memory.bytes;
    this.view = memory.view;
    this.tlbReadTag = mmu.tlb.readTag;
    this.tlbWriteTag = mmu.tlb.writeTag;
    this.tlbFrame = mmu.tlb.frameAddress;
    this.cache = new DecodeCache(memory, mmu.tlb);
  }

  getEflags(): number {
    return this.flags.get();
  }

  /** Sets EFLAGS as given (bit 1 reads as 1). */
  setEflags(value: number): void {
    this.flags.setWord(value);
  }

  /** Runs until a trap, an exception or until `budgetCycles` cycles are spent. */
  run(budgetCycles: number): StopReason {
    const limit = this.cycles + budgetCycles;
    const r = this.r;
    const flags = this.flags;
    const store = this.cache.store;
    const kindOf = store.kind;
    const lengthOf = store.lengthBytes;
    const costOf = store.costCycles;
    const dstOf = store.dst;
    const srcOf = store.src;
    const immOf = store.imm;
    const ccOf = store.cc;
    const ring = this.eipRing;
    let eip = this.eip | 0;
    let cycles = this.cycles;
    let retired = this.instructions;
    let ringCount = this.eipRingCount;
    let reason = StopReason.Budget;
    this.fetchPage = -1;
    let fetchPage = -1;
    let fetchTable = this.fetchTable;
    try {
      while (cycles < limit) {
        ring[ringCount++ & (recentEipsMax - 1)] = eip;
        let slot = eip >>> 12 === fetchPage ? fetchTable[eip & 0xfff]! : SLOT_NONE;
        if (slot === SLOT_NONE) {
          slot = this.decodeAt(eip);
          fetchPage = this.fetchPage;
          fetchTable = this.fetchTable;
        }
        let next = (eip + lengthOf[slot]!) | 0;
        switch (kindOf[slot]) {
          case FastKind.MovRegReg:
            r[dstOf[slot]!] = r[srcOf[slot]!]!;
            break;
          case FastKind.MovRegImm:
            r[dstOf[slot]!] = immOf[slot]!;
            break;
          case FastKind.MovLoad:
            r[dstOf[slot]!] = this.read32(this.effectiveAddress(slot));
            break;
          case FastKind.MovStore:
            this.write32(this.effectiveAddress(slot), r[srcOf[slot]!]!);
            break;
          case FastKind.MovStoreImm:
            this.write32(this.effectiveAddress(slot), immOf[slot]!);
            break;
          case FastKind.AluRegReg: {
            const dst = dstOf[slot]!;
            const result = this.alu32(ccOf[slot]!, r[dst]!, r[srcOf[slot]!]!);
            if (ccOf[slot] !== AluOp.Cmp) r[dst] = result;
            break;
          }
          case FastKind.AluRegImm: {
            const dst = dstOf[slot]!;
            const result = this.alu32(ccOf[slot]!, r[dst]!, immOf[slot]!);
            if (ccOf[slot] !== AluOp.Cmp) r[dst] = result;
            break;
          }
          case FastKind.AluRegMem: {
            const dst = dstOf[slot]!;
            const value = this.read32(this.effectiveAddress(slot));
            const result = this.alu32(ccOf[slot]!, r[dst]!, value);
            if (ccOf[slot] !== AluOp.Cmp) r[dst] = result;
            break;
          }
          case FastKind.AluMemReg:
          case FastKind.AluMemImm: {
            const address = this.effectiveAddress(slot);
            const operand = kindOf[slot] === FastKind.AluMemReg ? r[srcOf[slot]!]! : immOf[slot]!;
            const op = ccOf[slot]!;
            if (op === AluOp.Cmp) {
              this.alu32(op, this.read32(address), operand);
            } else {
              // Compute without touching flags until the store has succeeded.
              const before = this.read32(address);
              const carry = op === AluOp.Adc || op === AluOp.Sbb ? flags.cf() : 0;
              const result = aluResult32(op, before, operand, carry);
              this.write32(address, result);
              this.setAluFlags32(op, before, operand, result, carry);
            }
            break;
          }
          case FastKind.TestRegReg: {
            const result = r[dstOf[slot]!]! & r[srcOf[slot]!]!;
            flags.set(LazyOp.Logic, 0, 0, result);
            break;
          }
          case FastKind.Lea:
            r[dstOf[slot]!] = this.effectiveAddress(slot);
            break;
          case FastKind.PushReg: {
            const esp = (r[ESP]! - 4) | 0;
            this.write32(esp, r[dstOf[slot]!]!);
            r[ESP] = esp;
            break;
          }
          case FastKind.PushImm: {
            const esp = (r[ESP]! - 4) | 0;
            this.write32(esp, immOf[slot]!);
            r[ESP] = esp;
            break;
          }
          case FastKind.PopReg: {
            const esp = r[ESP]!;
            const value = this.read32(esp);
            r[ESP] = (esp + 4) | 0;
            r[dstOf[slot]!] = value;
            break;
          }
          case FastKind.CallRel: {
            const esp = (r[ESP]! - 4) | 0;
            this.write32(esp, next);
            r[ESP] = esp;
            next = (next + immOf[slot]!) | 0;
            break;
          }
          case FastKind.Ret: {
            const esp = r[ESP]!;
            const target = this.read32(esp);
            r[ESP] = (esp + 4) | 0;
            next = target;
            break;
          }
          case FastKind.JmpRel:
            next = (next + immOf[slot]!) | 0;
            break;
          case FastKind.Jcc:
            if (flags.condition(ccOf[slot]!)) {
              next = (next + immOf[slot]!) | 0;
              cycles += cpuCostCycles.branchTakenExtra;
            }
            break;
          case FastKind.IncReg: {
            const dst = dstOf[slot]!;
            const before = r[dst]!;
            const result = (before + 1) | 0;
            r[dst] = result;
            flags.setKeepingCarry(LazyOp.Inc, before, result);
            break;
          }
          case FastKind.DecReg: {
            const dst = dstOf[slot]!;
            const before = r[dst]!;
            const result = (before - 1) | 0;
            r[dst] = result;
            flags.setKeepingCarry(LazyOp.Dec, before, result);
            break;
          }
          case FastKind.MovzxLoad8:
            r[dstOf[slot]!] = this.read8(this.effectiveAddress(slot));
            break;
          case FastKind.MovsxLoad8:
            r[dstOf[slot]!] = (this.read8(this.effectiveAddress(slot)) << 24) >> 24;
            break;
          case FastKind.MovzxLoad16:
            r[dstOf[slot]!] = this.read16(this.effectiveAddress(slot));
            break;
          case FastKind.MovsxLoad16:
            r[dstOf[slot]!] = (this.read16(this.effectiveAddress(slot)) << 16) >> 16;
            break;
          case FastKind.MovzxReg8: {
            const src = srcOf[slot]!;
            r[dstOf[slot]!] = src < 4 ? r[src]! & 0xff : (r[src - 4]! >>> 8) & 0xff;
            break;
          }
          case FastKind.ShiftRegImm:
            this.shift32(dstOf[slot]!, ccOf[slot]!, immOf[slot]! & 31);
            break;
          case FastKind.ImulRegReg: {
            const dst = dstOf[slot]!;
            r[dst] = this.imul32(r[dst]!, r[srcOf[slot]!]!);
            break;
          }
          case FastKind.ImulRegRegImm:
            r[dstOf[slot]!] = this.imul32(r[srcOf[slot]!]!, immOf[slot]!);
            break;
          case FastKind.CmovRegReg:
            if (flags.condition(ccOf[slot]!)) r[dstOf[slot]!] = r[srcOf[slot]!]!;
            break;
          case FastKind.Nop:
            break;
          case FastKind.String: {
            // Runs iterations within the budget; eip moves on only when the instruction is
            // complete. An interrupted one is not retired and resumes on the next run.
            this.eip = eip >>> 0;
            const usedCycles = executeString(this, slot, limit - cycles);
            if (this.eip === eip >>> 0) {
              cycles += usedCycles;
              continue;
            }
            cycles += usedCycles - costOf[slot]!;
            next = this.eip | 0;
            break;
          }
          default:
            this.eip = next >>> 0;
            if (executeGeneric(this, slot) === STATUS_TRAP) reason = StopReason.Trap;
            next = this.eip | 0;
            break;
        }
        eip = next;
        cycles += costOf[slot]!;
        retired++;
        if (reason !== StopReason.Budget) break;
      }
    } catch (error) {
      if (error !== guestFault) throw error;
      reason = StopReason.Exception;
    }
    this.eip = eip >>> 0;
    this.cycles = cycles;
    this.instructions = retired;
    this.eipRingCount = ringCount;
    return reason;
  }

  /** The eips of the last `count` instructions started (oldest first; at most 1024). */
  recentEips(count: number): number[] {
    const available = Math.min(count, this.eipRingCount, recentEipsMax);
    const eips: number[] = [];
    for (let i = this.eipRingCount - available; i < this.eipRingCount; i++) {
      eips.push(this.eipRing[i & (recentEipsMax - 1)]! >>> 0);
    }
    return eips;
  }

  /** Drops every decoded instruction (e.g. after restoring memory wholesale). */
  flushDecodeCache(): void {
    this.cache.flush();
    this.fetchPage = -1;
  }

  getState(): CpuState {
    return {
      regs: Array.from(this.regs, (value) => value >>> 0),
      eip: this.eip >>> 0,
      eflags: this.getEflags(),
      cycles: this.cycles,
      instructions: this.instructions,
    };
  }

  setState(state: CpuState): void {
    if (state.regs.length !== 8) {
      throw new RangeError(`CpuState.regs has ${state.regs.length} entries, expected 8`);
    }
    for (let i = 0; i < 8; i++) this.r[i] = state.regs[i]! | 0;
    this.eip = state.eip >>> 0;
    this.setEflags(state.eflags);
    this.cycles = state.cycles;
    this.instructions = state.instructions;
  }

  // ---- Faults.

  /** Records an exception and leaves the instruction (never returns). */
  raise(vector: number, errorCode: number): never {
    this.exceptionVector = vector;
    this.exceptionErrorCode = errorCode;
    throw guestFault;
  }

  private raisePageFault(): never {
    return this.raise(VECTOR_PAGE_FAULT, this.mmu.faultErrorCode);
  }

  // ---- Decoding.

  /** Decodes the instruction at linear `eip` (caching it when it lies within one page). */
  private decodeAt(eip: number): number {
    const physical = this.translate(eip, Access.Fetch);
    const page = physical >>> 12;
    const offset = physical & 0xfff;
    const cache = this.cache;
    let slot = cache.peekSlot();
    if (slot < 0) {
      cache.flush();
      slot = cache.peekSlot();
    }
    const table = cache.tableFor(page);
    this.fetchPage = eip >>> 12;
    this.fetchTable = table;
    const fetchBytes = this.fetchBytes;
    const inPage = Math.min(instructionBytesMax, 4096 - offset);
    for (let i = 0; i < inPage; i++) fetchBytes[i] = this.bytes[physical + i]!;
    let length = this.decoder.decode(fetchBytes, inPage, cache.store, slot);
    if (length === DECODE_NEED_BYTES) {
      const nextPhysical = this.translate(((eip >>> 12) + 1) << 12, Access.Fetch);
      for (let i = inPage; i < instructionBytesMax; i++) {
        fetchBytes[i] = this.bytes[nextPhysical + i - inPage]!;
      }
      slot = SLOT_SCRATCH;
      length = this.decoder.decode(fetchBytes, instructionBytesMax, cache.store, slot);
    }
    if (length < 0) {
      this.raise(
        length === DECODE_UNDEFINED ? VECTOR_INVALID_OPCODE : VECTOR_GENERAL_PROTECTION,
        0,
      );
    }
    return slot === SLOT_SCRATCH ? slot : cache.commit(page, offset);
  }

  // ---- Operands.

  effectiveAddress(slot: number): number {
    const store = this.cache.store;
    const r = this.r;
    return (
      (r[store.base[slot]!]! + (r[store.index[slot]!]! << store.scale[slot]!) + store.disp[slot]!) |
      0
    );
  }

  /** Reads operand `location` of `size` bits, sign-extended to 32 bits. */
  readOperand(slot: number, location: number, size: number): number {
    if (location === LOCATION_MEMORY) {
      const address = this.effectiveAddress(slot);
      if (size === 32) return this.read32(address);
      return size === 16 ? (this.read16(address) << 16) >> 16 : (this.read8(address) << 24) >> 24;
    }
    if (location === LOCATION_IMMEDIATE) {
      const imm = this.cache.store.imm[slot]!;
      if (size === 32) return imm;
      return size === 16 ? (imm << 16) >> 16 : (imm << 24) >> 24;
    }
    return this.readRegister(location, size);
  }

  /** Writes the low `size` bits of value to operand `location`. */
  writeOperand(slot: number, location: number, size: number, value: number): void {
    if (location === LOCATION_MEMORY) {
      const address = this.effectiveAddress(slot);
      if (size === 32) this.write32(address, value);
      else if (size === 16) this.write16(address, value);
      else this.write8(address, value);
    } else {
      this.writeRegister(location, size, value);
    }
  }

  /** Register `index` (x86 numbering for the size) sign-extended to 32 bits. */
  readRegister(index: number, size: number): number {
    const r = this.r;
    if (size === 32) return r[index]!;
    if (size === 16) return (r[index]! << 16) >> 16;
    return index < 4 ? (r[index]! << 24) >> 24 : (r[index - 4]! << 16) >> 24;
  }

  writeRegister(index: number, size: number, value: number): void {
    const r = this.r;
    if (size === 32) r[index] = value;
    else if (size === 16) r[index] = (r[index]! & ~0xffff) | (value & 0xffff);
    else if (index < 4) r[index] = (r[index]! & ~0xff) | (value & 0xff);
    else r[index - 4] = (r[index - 4]! & ~0xff00) | ((value & 0xff) << 8);
  }

  // ---- Guest memory through the TLB. Reads of 8/16 bits are zero-extended; 32 bits signed.

  read8(linear: number): number {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    if (this.tlbReadTag[index] === page)
      return this.bytes[this.tlbFrame[index]! + (linear & 0xfff)]!;
    return this.bytes[this.translate(linear, Access.Read)]!;
  }

  read16(linear: number): number {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbReadTag[index] === page && offset < 0xfff) {
      return this.view.getUint16(this.tlbFrame[index]! + offset, true);
    }
    if (offset < 0xfff) return this.view.getUint16(this.translate(linear, Access.Read), true);
    return this.readCrossing(linear, 2);
  }

  read32(linear: number): number {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbReadTag[index] === page && offset < 0xffd) {
      return this.view.getInt32(this.tlbFrame[index]! + offset, true);
    }
    if (offset < 0xffd) return this.view.getInt32(this.translate(linear, Access.Read), true);
    return this.readCrossing(linear, 4);
  }

  write8(linear: number, value: number): void {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    if (this.tlbWriteTag[index] === page) {
      this.bytes[this.tlbFrame[index]! + (linear & 0xfff)] = value;
      return;
    }
    this.memory.write8(this.translate(linear, Access.Write), value);
  }

  write16(linear: number, value: number): void {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbWriteTag[index] === page && offset < 0xfff) {
      this.view.setUint16(this.tlbFrame[index]! + offset, value & 0xffff, true);
      return;
    }
    if (offset < 0xfff) this.memory.write16(this.translate(linear, Access.Write), value);
    else this.writeCrossing(linear, 2, value);
  }

  write32(linear: number, value: number): void {
    const page = linear >>> 12;
    const index = page & tlbIndexMask;
    const offset = linear & 0xfff;
    if (this.tlbWriteTag[index] === page && offset < 0xffd) {
      this.view.setInt32(this.tlbFrame[index]! + offset, value, true);
      return;
    }
    if (offset < 0xffd) this.memory.write32(this.translate(linear, Access.Write), value);
    else this.writeCrossing(linear, 4, value);
  }

  /** Physical address of a user access; raises #PF when the MMU refuses it. */
  private translate(linear: number, access: Access): number {
    const physical = this.mmu.translate(linear, access);
    if (physical < 0) this.raisePageFault();
    return physical;
  }

  /** A read that straddles two pages: both are translated before anything is read. */
  private readCrossing(linear: number, sizeBytes: number): number {
    const first = this.translate(linear, Access.Read);
    const second = this.translate(((linear >>> 12) + 1) << 12, Access.Read);
    const inFirst = 4096 - (linear & 0xfff);
    let value = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) {
      value = (value << 8) | this.bytes[i < inFirst ? first + i : second + i - inFirst]!;
    }
    return sizeBytes === 4 ? value | 0 : value & 0xffff;
  }

  /** A write that straddles two pages: both must be writable before either is written. */
  private writeCrossing(linear: number, sizeBytes: number, value: number): void {
    const first = this.translate(linear, Access.Write);
    const second = this.translate(((linear >>> 12) + 1) << 12, Access.Write);
    const inFirst = 4096 - (linear & 0xfff);
    for (let i = 0; i < sizeBytes; i++) {
      this.memory.write8(
        i < inFirst ? first + i : second + i - inFirst,
        (value >>> (8 * i)) & 0xff,
      );
    }
  }

  // ---- 32-bit arithmetic shared by the fast cases.

  /** An ALU operation on 32-bit operands: sets the flags, returns the result. */
  private alu32(op: number, a: number, b: number): number {
    const carry = op === AluOp.Adc || op === AluOp.Sbb ? this.flags.cf() : 0;
    const result = aluResult32(op, a, b, carry);
    this.setAluFlags32(op, a, b, result, carry);
    return result;
  }

  private setAluFlags32(op: number, a: number, b: number, result: number, carry: number): void {
    const flags = this.flags;
    switch (op) {
      case AluOp.Add:
        flags.set(LazyOp.Add, a, b, result);
        break;
      case AluOp.Adc:
        flags.set(carry ? LazyOp.AddCarry : LazyOp.Add, a, b, result);
        break;
      case AluOp.Sub:
      case AluOp.Cmp:
        flags.set(LazyOp.Sub, a, b, result);
        break;
      case AluOp.Sbb:
        flags.set(carry ? LazyOp.SubBorrow : LazyOp.Sub, a, b, result);
        break;
      default:
        flags.set(LazyOp.Logic, 0, 0, result);
        break;
    }
  }

  private shift32(reg: number, op: number, count: number): void {
    if (count === 0) return;
    const r = this.r;
    const value = r[reg]!;
    let result: number;
    let carry: number;
    let overflow: number;
    if (op === ShiftOp.Shl) {
      result = value << count;
      carry = (value >>> (32 - count)) & 1;
      overflow = (result >>> 31) ^ carry;
    } else if (op === ShiftOp.Shr) {
      result = value >>> count;
      carry = (value >>> (count - 1)) & 1;
      overflow = value >>> 31;
    } else {
      result = value >> count;
      carry = (value >> (count - 1)) & 1;
      overflow = 0;
    }
    r[reg] = result;
    this.flags.set(LazyOp.Explicit, carry, overflow, result | 0);
  }

  /** Two/three-operand imul: low 32 bits; CF = OF = the product does not fit. */
  private imul32(a: number, b: number): number {
    const result = Math.imul(a, b);
    const overflow = a * b !== result ? 1 : 0;
    this.flags.set(LazyOp.Explicit, overflow, overflow, result);
    return result;
  }
}

/** Result of ALU op on 32-bit operands (cmp gives the difference, which is not stored). */
function aluResult32(op: number, a: number, b: number, carry: number): number {
  switch (op) {
    case AluOp.Add:
      return (a + b) | 0;
    case AluOp.Or:
      return a | b;
    case AluOp.Adc:
      return (a + b + carry) | 0;
    case AluOp.Sbb:
      return (a - b - carry) | 0;
    case AluOp.And:
      return a & b;
    case AluOp.Xor:
      return a ^ b;
    default:
      return (a - b) | 0;
  }
}

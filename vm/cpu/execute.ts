// The size-generic semantics of every handler in isa.ts (8-, 16- and 32-bit forms, every
// operand shape), per the Intel SDM vol. 2 pseudo-code. The run loop's fast cases cover
// common 32-bit shapes with the same semantics; everything else lands here. On entry
// cpu.eip already holds the next instruction's address; branches overwrite it. Operand
// values travel sign-extended to 32 bits (see lazy-flags.ts). Faults throw (guest-fault.ts)
// before any register is changed. Flags the manual leaves undefined are left as computed.

import type { Cpu } from "./cpu.ts";
import { EBP, ESP } from "./cpu.ts";
import { cpuidLeaf } from "./cpuid.ts";
import { rowOperandBits, rowOperandCount } from "./decode-table.ts";
import { LOCATION_IMMEDIATE, LOCATION_MEMORY, LOCATION_NONE } from "./decoded-instructions.ts";
import {
  FLAG_AF,
  FLAG_CF,
  FLAG_DF,
  FLAG_OF,
  FLAG_PF,
  FLAG_SF,
  FLAG_ZF,
  POPF_USER_MASK,
  parityFlagOfByte,
  STATUS_FLAGS,
} from "./eflags.ts";
import {
  VECTOR_BOUND_RANGE,
  VECTOR_BREAKPOINT,
  VECTOR_DIVIDE_ERROR,
  VECTOR_GENERAL_PROTECTION,
  VECTOR_INVALID_OPCODE,
  VECTOR_OVERFLOW,
} from "./exception-vector.ts";
import { HandlerId } from "./handler-id.ts";
import { LazyOp } from "./lazy-flags.ts";
import { flatSelectors, loadSegment } from "./segment-registers.ts";
import {
  divideSigned,
  divideUnsigned,
  multiplySigned,
  multiplyUnsigned,
  wide,
} from "./wide-arithmetic.ts";

export const STATUS_CONTINUE = 0;
/** The instruction was int n / int3 / into taken: cpu.trapVector holds the vector. */
export const STATUS_TRAP = 1;

/** Sign-extends the low `size` bits of value. */
export function signExtend(value: number, size: number): number {
  return size === 32 ? value | 0 : size === 16 ? (value << 16) >> 16 : (value << 24) >> 24;
}

/** The low `size` bits, as an unsigned mask. */
export function maskOf(size: number): number {
  return size === 32 ? 0xffffffff : size === 16 ? 0xffff : 0xff;
}

export function executeGeneric(cpu: Cpu, slot: number): number {
  const store = cpu.cache.store;
  const size = store.size[slot]!;
  const dst = store.dst[slot]!;
  const src = store.src[slot]!;
  const flags = cpu.flags;
  const r = cpu.r;
  switch (store.handler[slot]) {
    case HandlerId.Mov:
      cpu.writeOperand(slot, dst, size, cpu.readOperand(slot, src, size));
      return STATUS_CONTINUE;
    case HandlerId.Movzx:
    case HandlerId.Movsx: {
      const sourceSize = rowOperandBits[store.row[slot]! * 3 + 1]!;
      const value = cpu.readOperand(slot, src, sourceSize);
      const extended = store.handler[slot] === HandlerId.Movzx ? value & maskOf(sourceSize) : value;
      cpu.writeRegister(dst, size, extended);
      return STATUS_CONTINUE;
    }
    case HandlerId.Lea:
      cpu.writeRegister(dst, size, cpu.effectiveAddress(slot));
      return STATUS_CONTINUE;
    case HandlerId.Add:
    case HandlerId.Or:
    case HandlerId.Adc:
    case HandlerId.Sbb:
    case HandlerId.And:
    case HandlerId.Sub:
    case HandlerId.Xor:
    case HandlerId.Cmp:
    case HandlerId.Test:
      arithmetic(cpu, slot, size, dst, src);
      return STATUS_CONTINUE;
    case HandlerId.Inc:
    case HandlerId.Dec: {
      const before = cpu.readOperand(slot, dst, size);
      const increment = store.handler[slot] === HandlerId.Inc;
      const result = signExtend(increment ? before + 1 : before - 1, size);
      cpu.writeOperand(slot, dst, size, result);
      flags.setKeepingCarry(increment ? LazyOp.Inc : LazyOp.Dec, before, result);
      return STATUS_CONTINUE;
    }
    case HandlerId.Neg: {
      const before = cpu.readOperand(slot, dst, size);
      const result = signExtend(-before, size);
      cpu.writeOperand(slot, dst, size, result);
      flags.set(LazyOp.Sub, 0, before, result);
      return STATUS_CONTINUE;
    }
    case HandlerId.Not:
      cpu.writeOperand(slot, dst, size, ~cpu.readOperand(slot, dst, size));
      return STATUS_CONTINUE;
    case HandlerId.Mul:
    case HandlerId.ImulWide:
      multiplyWide(cpu, slot, size, dst, store.handler[slot] === HandlerId.ImulWide);
      return STATUS_CONTINUE;
    case HandlerId.Imul: {
      const three = rowOperandCount[store.row[slot]!] === 3;
      const a = cpu.readOperand(slot, three ? src : dst, size);
      const b = three ? signExtend(store.imm[slot]!, size) : cpu.readOperand(slot, src, size);
      const exact = a * b;
      const result = size === 32 ? Math.imul(a, b) : signExtend(exact, size);
      const overflow = exact !== result ? 1 : 0;
      cpu.writeRegister(dst, size, result);
      flags.set(LazyOp.Explicit, overflow, overflow, result);
      return STATUS_CONTINUE;
    }
    case HandlerId.Div:
    case HandlerId.Idiv:
      divide(cpu, slot, size, dst, store.handler[slot] === HandlerId.Idiv);
      return STATUS_CONTINUE;
    case HandlerId.Rol:
    case HandlerId.Ror:
    case HandlerId.Rcl:
    case HandlerId.Rcr:
    case HandlerId.Shl:
    case HandlerId.Shr:
    case HandlerId.Sar:
      shiftOrRotate(cpu, slot, size, dst);
      return STATUS_CONTINUE;
    case HandlerId.Shld:
    case HandlerId.Shrd:
      doubleShift(cpu, slot, size, dst, src);
      return STATUS_CONTINUE;
    case HandlerId.Bt:
    case HandlerId.Bts:
    case HandlerId.Btr:
    case HandlerId.Btc:
      bitTest(cpu, slot, size, dst, src);
      return STATUS_CONTINUE;
    case HandlerId.Bsf:
    case HandlerId.Bsr: {
      const value = cpu.readOperand(slot, src, size) & maskOf(size);
      flags.materialise();
      if (value === 0) {
        flags.word |= FLAG_ZF;
      } else {
        flags.word &= ~FLAG_ZF;
        const index =
          store.handler[slot] === HandlerId.Bsf
            ? 31 - Math.clz32(value & -value)
            : 31 - Math.clz32(value);
        cpu.writeRegister(dst, size, index);
      }
      return STATUS_CONTINUE;
    }
    case HandlerId.Setcc:
      cpu.writeOperand(slot, dst, 8, flags.condition(store.cc[slot]!) ? 1 : 0);
      return STATUS_CONTINUE;
    case HandlerId.Cmovcc: {
      // The source is read (and may fault) whether or not the condition holds.
      const value = cpu.readOperand(slot, src, size);
      if (flags.condition(store.cc[slot]!)) cpu.writeRegister(dst, size, value);
      return STATUS_CONTINUE;
    }
    case HandlerId.Jcc:
      if (flags.condition(store.cc[slot]!)) branch(cpu, slot, size);
      return STATUS_CONTINUE;
    case HandlerId.Jmp:
      if (dst === LOCATION_NONE) branch(cpu, slot, size);
      else cpu.eip = cpu.readOperand(slot, dst, 32) >>> 0;
      return STATUS_CONTINUE;
    case HandlerId.Call: {
      const target =
        dst === LOCATION_NONE ? relativeTarget(cpu, slot, size) : cpu.readOperand(slot, dst, 32);
      push(cpu, size, cpu.eip);
      cpu.eip = target >>> 0;
      return STATUS_CONTINUE;
    }
    case HandlerId.Ret: {
      const esp = r[ESP]!;
      const target = cpu.read32(esp);
      r[ESP] = (esp + 4 + store.imm[slot]!) | 0;
      cpu.eip = target >>> 0;
      return STATUS_CONTINUE;
    }
    case HandlerId.Jecxz:
      if (r[1] === 0) branch(cpu, slot, 32);
      return STATUS_CONTINUE;
    case HandlerId.Loop:
    case HandlerId.Loope:
    case HandlerId.Loopne: {
      const count = (r[1]! - 1) | 0;
      r[1] = count;
      const handler = store.handler[slot];
      const zero = handler === HandlerId.Loop ? true : flags.zf() !== 0;
      const taken = handler === HandlerId.Loopne ? !zero : zero;
      if (count !== 0 && taken) branch(cpu, slot, 32);
      return STATUS_CONTINUE;
    }
    case HandlerId.Push:
      push(cpu, size, dst === LOCATION_NONE ? store.imm[slot]! : cpu.readOperand(slot, dst, size));
      return STATUS_CONTINUE;
    case HandlerId.Pop:
      pop(cpu, slot, size, dst);
      return STATUS_CONTINUE;
    case HandlerId.Pusha:
      pushAll(cpu, size);
      return STATUS_CONTINUE;
    case HandlerId.Popa:
      popAll(cpu, size);
      return STATUS_CONTINUE;
    case HandlerId.Pushf:
      // VM and RF read as 0 in the pushed image.
      push(cpu, size, flags.get() & 0x00fcffff);
      return STATUS_CONTINUE;
    case HandlerId.Popf: {
      const esp = r[ESP]!;
      const value = size === 32 ? cpu.read32(esp) : cpu.read16(esp);
      const mask = size === 32 ? POPF_USER_MASK : POPF_USER_MASK & 0xffff;
      r[ESP] = (esp + size / 8) | 0;
      flags.setWord((flags.get() & ~mask) | (value & mask));
      return STATUS_CONTINUE;
    }
    case HandlerId.Xchg: {
      const first = cpu.readOperand(slot, dst, size);
      const second = cpu.readOperand(slot, src, size);
      cpu.writeOperand(slot, dst, size, second);
      cpu.writeRegister(src, size, first);
      return STATUS_CONTINUE;
    }
    case HandlerId.Cmpxchg: {
      const accumulator = cpu.readRegister(0, size);
      const current = cpu.readOperand(slot, dst, size);
      const equal = accumulator === current;
      if (equal) cpu.writeOperand(slot, dst, size, cpu.readRegister(src, size));
      else if (dst === LOCATION_MEMORY) cpu.writeOperand(slot, dst, size, current);
      if (!equal) cpu.writeRegister(0, size, current);
      flags.set(LazyOp.Sub, accumulator, current, signExtend(accumulator - current, size));
      return STATUS_CONTINUE;
    }
    case HandlerId.Xadd: {
      const before = cpu.readOperand(slot, dst, size);
      const addend = cpu.readRegister(src, size);
      const sum = signExtend(before + addend, size);
      if (dst === LOCATION_MEMORY) {
        cpu.writeOperand(slot, dst, size, sum);
        cpu.writeRegister(src, size, before);
      } else {
        cpu.writeRegister(src, size, before);
        cpu.writeRegister(dst, size, sum);
      }
      flags.set(LazyOp.Add, before, addend, sum);
      return STATUS_CONTINUE;
    }
    case HandlerId.Bswap: {
      const value = r[dst]!;
      r[dst] = (value << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24);
      return STATUS_CONTINUE;
    }
    case HandlerId.SignExtendAccumulator:
      cpu.writeRegister(0, size, cpu.readRegister(0, size / 2));
      return STATUS_CONTINUE;
    case HandlerId.SignExtendIntoDx:
      cpu.writeRegister(2, size, cpu.readRegister(0, size) < 0 ? -1 : 0);
      return STATUS_CONTINUE;
    case HandlerId.Lahf: {
      const status = flags.get() & (FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF);
      cpu.writeRegister(4, 8, status | 2);
      return STATUS_CONTINUE;
    }
    case HandlerId.Sahf: {
      const mask = FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF;
      flags.setWord((flags.get() & ~mask) | ((r[0]! >>> 8) & mask));
      return STATUS_CONTINUE;
    }
    case HandlerId.Clc:
    case HandlerId.Stc:
    case HandlerId.Cmc:
    case HandlerId.Cld:
    case HandlerId.Std:
      setFlagBit(cpu, store.handler[slot]!);
      return STATUS_CONTINUE;
    case HandlerId.Leave: {
      const ebp = r[EBP]!;
      const saved = cpu.read32(ebp);
      r[ESP] = (ebp + 4) | 0;
      r[EBP] = saved;
      return STATUS_CONTINUE;
    }
    case HandlerId.Enter:
      enter(cpu, store.imm[slot]!, store.imm2[slot]! & 31);
      return STATUS_CONTINUE;
    case HandlerId.Nop:
      return STATUS_CONTINUE;
    case HandlerId.Int:
      cpu.trapVector = store.imm[slot]!;
      return STATUS_TRAP;
    case HandlerId.Int3:
      cpu.trapVector = VECTOR_BREAKPOINT;
      return STATUS_TRAP;
    case HandlerId.Into:
      if (flags.of() === 0) return STATUS_CONTINUE;
      cpu.trapVector = VECTOR_OVERFLOW;
      return STATUS_TRAP;
    case HandlerId.Xlat: {
      const value = cpu.read8((r[3]! + (r[0]! & 0xff)) | 0);
      r[0] = (r[0]! & ~0xff) | value;
      return STATUS_CONTINUE;
    }
    case HandlerId.Daa:
    case HandlerId.Das:
      decimalAdjust(cpu, store.handler[slot] === HandlerId.Das);
      return STATUS_CONTINUE;
    case HandlerId.Aaa:
    case HandlerId.Aas:
      asciiAdjust(cpu, store.handler[slot] === HandlerId.Aas);
      return STATUS_CONTINUE;
    case HandlerId.Aam: {
      const base = store.imm[slot]! & 0xff;
      if (base === 0) cpu.raise(VECTOR_DIVIDE_ERROR, 0);
      const al = r[0]! & 0xff;
      const quotient = Math.trunc(al / base);
      const remainder = al - quotient * base;
      cpu.writeRegister(0, 16, (quotient << 8) | remainder);
      flags.set(LazyOp.Logic, 0, 0, signExtend(remainder, 8));
      return STATUS_CONTINUE;
    }
    case HandlerId.Aad: {
      const base = store.imm[slot]! & 0xff;
      const al = ((r[0]! & 0xff) + ((r[0]! >>> 8) & 0xff) * base) & 0xff;
      cpu.writeRegister(0, 16, al);
      flags.set(LazyOp.Logic, 0, 0, signExtend(al, 8));
      return STATUS_CONTINUE;
    }
    case HandlerId.Cpuid:
      cpuidLeaf(r[0]!, cpuidScratch);
      r[0] = cpuidScratch[0]!;
      r[3] = cpuidScratch[1]!;
      r[1] = cpuidScratch[2]!;
      r[2] = cpuidScratch[3]!;
      return STATUS_CONTINUE;
    case HandlerId.Rdtsc: {
      // cpu.cycles is the count when this instruction started (the run loop keeps it so).
      const count = cpu.cycles;
      r[0] = (count % 2 ** 32) | 0;
      r[2] = Math.floor(count / 2 ** 32) | 0;
      return STATUS_CONTINUE;
    }
    case HandlerId.Bound:
      checkBounds(cpu, slot, size, dst);
      return STATUS_CONTINUE;
    case HandlerId.Privileged:
      return cpu.raise(VECTOR_GENERAL_PROTECTION, 0);
    case HandlerId.MovFromSegment: {
      // A memory destination takes 16 bits whatever the operand size; a 32-bit register the
      // selector zero-extended.
      const selector = flatSelectors[store.imm[slot]!]!;
      if (dst === LOCATION_MEMORY) cpu.write16(cpu.effectiveAddress(slot), selector);
      else cpu.writeRegister(dst, size, selector);
      return STATUS_CONTINUE;
    }
    case HandlerId.MovToSegment:
      loadSegment(cpu, store.imm[slot]!, cpu.readOperand(slot, dst, 16));
      return STATUS_CONTINUE;
    case HandlerId.PushSegment:
      push(cpu, size, flatSelectors[store.imm[slot]!]!);
      return STATUS_CONTINUE;
    case HandlerId.PopSegment: {
      const esp = cpu.r[ESP]!;
      loadSegment(cpu, store.imm[slot]!, size === 32 ? cpu.read32(esp) : cpu.read16(esp));
      cpu.r[ESP] = (esp + size / 8) | 0;
      return STATUS_CONTINUE;
    }
    default:
      return cpu.raise(VECTOR_INVALID_OPCODE, 0);
  }
}

function arithmetic(cpu: Cpu, slot: number, size: number, dst: number, src: number): void {
  const flags = cpu.flags;
  const handler = cpu.cache.store.handler[slot]!;
  const a = cpu.readOperand(slot, dst, size);
  const b = cpu.readOperand(slot, src, size);
  let op = LazyOp.Logic;
  let result: number;
  switch (handler) {
    case HandlerId.Add:
      result = a + b;
      op = LazyOp.Add;
      break;
    case HandlerId.Adc: {
      const carry = flags.cf();
      result = a + b + carry;
      op = carry ? LazyOp.AddCarry : LazyOp.Add;
      break;
    }
    case HandlerId.Sub:
    case HandlerId.Cmp:
      result = a - b;
      op = LazyOp.Sub;
      break;
    case HandlerId.Sbb: {
      const borrow = flags.cf();
      result = a - b - borrow;
      op = borrow ? LazyOp.SubBorrow : LazyOp.Sub;
      break;
    }
    case HandlerId.Or:
      result = a | b;
      break;
    case HandlerId.Xor:
      result = a ^ b;
      break;
    default:
      result = a & b;
      break;
  }
  result = signExtend(result, size);
  if (handler !== HandlerId.Cmp && handler !== HandlerId.Test) {
    cpu.writeOperand(slot, dst, size, result);
  }
  if (op === LazyOp.Logic) flags.set(op, 0, 0, result);
  else flags.set(op, a, b, result);
}

function multiplyWide(cpu: Cpu, slot: number, size: number, src: number, signed: boolean): void {
  const value = cpu.readOperand(slot, src, size);
  let overflow: number;
  let low: number;
  if (size === 32) {
    if (signed) multiplySigned(cpu.r[0]!, value);
    else multiplyUnsigned(cpu.r[0]!, value);
    low = wide.low;
    cpu.r[0] = low;
    cpu.r[2] = wide.high;
    overflow = signed ? (wide.high !== low >> 31 ? 1 : 0) : wide.high !== 0 ? 1 : 0;
  } else {
    const mask = maskOf(size);
    const accumulator = cpu.readRegister(0, size);
    const product = signed ? accumulator * value : (accumulator & mask) * (value & mask);
    low = signExtend(product, size);
    const high = signExtend(Math.floor(product / (mask + 1)), size);
    // 8-bit: AX = AL * src; 16-bit: DX:AX = AX * src.
    cpu.writeRegister(0, 16, product);
    if (size === 16) cpu.writeRegister(2, 16, high);
    overflow = signed ? (product !== low ? 1 : 0) : product > mask ? 1 : 0;
  }
  cpu.flags.set(LazyOp.Explicit, overflow, overflow, low);
}

function divide(cpu: Cpu, slot: number, size: number, src: number, signed: boolean): void {
  const divisor = cpu.readOperand(slot, src, size);
  const r = cpu.r;
  if (size === 32) {
    const ok = signed ? divideSigned(r[2]!, r[0]!, divisor) : divideUnsigned(r[2]!, r[0]!, divisor);
    if (!ok) cpu.raise(VECTOR_DIVIDE_ERROR, 0);
    r[0] = wide.low;
    r[2] = wide.high;
    return;
  }
  if (divisor === 0) cpu.raise(VECTOR_DIVIDE_ERROR, 0);
  let dividend: number;
  if (size === 8) dividend = signed ? (r[0]! << 16) >> 16 : r[0]! & 0xffff;
  else {
    const combined = ((r[2]! & 0xffff) << 16) | (r[0]! & 0xffff);
    dividend = signed ? combined : combined >>> 0;
  }
  const d = signed ? divisor : divisor & maskOf(size);
  const quotient = Math.trunc(dividend / d);
  const remainder = dividend - quotient * d;
  const limitHigh = signed ? (size === 8 ? 0x7f : 0x7fff) : maskOf(size);
  const limitLow = signed ? -limitHigh - 1 : 0;
  if (quotient > limitHigh || quotient < limitLow) cpu.raise(VECTOR_DIVIDE_ERROR, 0);
  if (size === 8) {
    cpu.writeRegister(0, 8, quotient);
    cpu.writeRegister(4, 8, remainder);
  } else {
    cpu.writeRegister(0, 16, quotient);
    cpu.writeRegister(2, 16, remainder);
  }
}

/** Shifts and rotates by 1, CL or imm8 (imm -1 means CL); the count is masked to 5 bits. */
function shiftOrRotate(cpu: Cpu, slot: number, size: number, dst: number): void {
  const store = cpu.cache.store;
  const imm = store.imm[slot]!;
  const count = (imm < 0 ? cpu.r[1]! : imm) & 31;
  const before = cpu.readOperand(slot, dst, size);
  if (count === 0) return;
  const flags = cpu.flags;
  const mask = maskOf(size);
  const value = before & mask;
  const top = size - 1;
  let result: number;
  let carry: number;
  let overflow: number;
  switch (store.handler[slot]) {
    case HandlerId.Shl:
      result = count < 32 ? value << count : 0;
      carry = count <= size ? (value >>> (size - count)) & 1 : 0;
      overflow = ((result >>> top) & 1) ^ carry;
      break;
    case HandlerId.Shr:
      result = value >>> count;
      carry = (value >>> (count - 1)) & 1;
      overflow = (value >>> top) & 1;
      break;
    case HandlerId.Sar:
      result = before >> count;
      carry = (before >> (count - 1)) & 1;
      overflow = 0;
      break;
    default:
      rotate(cpu, slot, size, dst, value, count);
      return;
  }
  result = signExtend(result, size);
  cpu.writeOperand(slot, dst, size, result);
  flags.set(LazyOp.Explicit, carry, overflow, result);
}

/** rol/ror/rcl/rcr: only CF and OF change (OF is defined for 1-bit rotates). */
function rotate(cpu: Cpu, slot: number, size: number, dst: number, value: number, count: number) {
  const flags = cpu.flags;
  const mask = maskOf(size);
  const top = size - 1;
  const handler = cpu.cache.store.handler[slot];
  let result: number;
  let carry: number;
  let overflow: number;
  if (handler === HandlerId.Rol || handler === HandlerId.Ror) {
    const by = count % size;
    if (handler === HandlerId.Rol) {
      result = by === 0 ? value : ((value << by) | (value >>> (size - by))) & mask;
      carry = result & 1;
      overflow = ((result >>> top) & 1) ^ carry;
    } else {
      result = by === 0 ? value : ((value >>> by) | (value << (size - by))) & mask;
      carry = (result >>> top) & 1;
      overflow = carry ^ ((result >>> (top - 1)) & 1);
    }
  } else {
    const by = size === 32 ? count : count % (size + 1);
    if (by === 0) return;
    const carryIn = flags.cf();
    if (handler === HandlerId.Rcl) {
      const spill = size + 1 - by < 32 ? value >>> (size + 1 - by) : 0;
      result = ((value << by) | (carryIn << (by - 1)) | spill) & mask;
      carry = (value >>> (size - by)) & 1;
      overflow = ((result >>> top) & 1) ^ carry;
    } else {
      const spill = size + 1 - by < 32 ? value << (size + 1 - by) : 0;
      result = ((value >>> by) | (carryIn << (size - by)) | spill) & mask;
      carry = (value >>> (by - 1)) & 1;
      overflow = ((value >>> top) & 1) ^ carryIn;
    }
  }
  cpu.writeOperand(slot, dst, size, result);
  flags.materialise();
  flags.word = (flags.word & ~(FLAG_CF | FLAG_OF)) | carry | (overflow ? FLAG_OF : 0);
}

/**
 * shld/shrd. 16-bit forms with a count above 16 have an undefined result in the manual;
 * here they shift through the chain dst:src:dst (the left shift takes its top 16 bits,
 * the right shift its low 16 bits).
 */
function doubleShift(cpu: Cpu, slot: number, size: number, dst: number, src: number): void {
  const store = cpu.cache.store;
  const imm = store.imm[slot]!;
  const count = (imm < 0 ? cpu.r[1]! : imm) & 31;
  const destination = cpu.readOperand(slot, dst, size);
  if (count === 0) return;
  const source = cpu.readRegister(src, size);
  const left = store.handler[slot] === HandlerId.Shld;
  let result: number;
  let carry: number;
  if (size === 32) {
    if (left) {
      result = (destination << count) | (source >>> (32 - count));
      carry = (destination >>> (32 - count)) & 1;
    } else {
      result = (destination >>> count) | (source << (32 - count));
      carry = (destination >>> (count - 1)) & 1;
    }
  } else {
    // The 48-bit chain dst:src:dst as a double (exact below 2^53).
    const chain =
      (destination & 0xffff) * 2 ** 32 + (source & 0xffff) * 65536 + (destination & 0xffff);
    if (left) {
      result = Math.floor(chain / 2 ** (32 - count)) & 0xffff;
      carry = Math.floor(chain / 2 ** (48 - count)) & 1;
    } else {
      result = Math.floor(chain / 2 ** count) & 0xffff;
      carry = Math.floor(chain / 2 ** (count - 1)) & 1;
    }
  }
  result = signExtend(result, size);
  const overflow = ((result ^ destination) >>> 31) & 1;
  cpu.writeOperand(slot, dst, size, result);
  cpu.flags.set(LazyOp.Explicit, carry, overflow, result);
}

/** bt/bts/btr/btc: CF = the bit; a register offset can address outside a memory operand. */
function bitTest(cpu: Cpu, slot: number, size: number, dst: number, src: number): void {
  const store = cpu.cache.store;
  const handler = store.handler[slot];
  let bit: number;
  let address = 0;
  if (src === LOCATION_IMMEDIATE) {
    bit = store.imm[slot]! & (size - 1);
    if (dst === LOCATION_MEMORY) address = cpu.effectiveAddress(slot);
  } else {
    const offset = cpu.readRegister(src, size);
    bit = offset & (size - 1);
    if (dst === LOCATION_MEMORY) {
      address = (cpu.effectiveAddress(slot) + (offset >> (size === 32 ? 5 : 4)) * (size / 8)) | 0;
    }
  }
  const value =
    dst === LOCATION_MEMORY
      ? size === 32
        ? cpu.read32(address)
        : cpu.read16(address)
      : cpu.readRegister(dst, size);
  const carry = (value >>> bit) & 1;
  if (handler !== HandlerId.Bt) {
    const updated =
      handler === HandlerId.Bts
        ? value | (1 << bit)
        : handler === HandlerId.Btr
          ? value & ~(1 << bit)
          : value ^ (1 << bit);
    if (dst === LOCATION_MEMORY) {
      if (size === 32) cpu.write32(address, updated);
      else cpu.write16(address, updated);
    } else {
      cpu.writeRegister(dst, size, updated);
    }
  }
  const flags = cpu.flags;
  flags.materialise();
  flags.word = (flags.word & ~FLAG_CF) | carry;
}

function relativeTarget(cpu: Cpu, slot: number, size: number): number {
  const target = cpu.eip + cpu.cache.store.imm[slot]!;
  return size === 16 ? target & 0xffff : target >>> 0;
}

function branch(cpu: Cpu, slot: number, size: number): void {
  cpu.eip = relativeTarget(cpu, slot, size);
}

function push(cpu: Cpu, size: number, value: number): void {
  const esp = (cpu.r[ESP]! - size / 8) | 0;
  if (size === 32) cpu.write32(esp, value);
  else cpu.write16(esp, value);
  cpu.r[ESP] = esp;
}

/** pop: with an esp-based memory destination the address uses the incremented esp. */
function pop(cpu: Cpu, slot: number, size: number, dst: number): void {
  const r = cpu.r;
  const esp = r[ESP]!;
  const value = size === 32 ? cpu.read32(esp) : cpu.read16(esp);
  const after = (esp + size / 8) | 0;
  if (dst === LOCATION_MEMORY) {
    r[ESP] = after;
    const address = cpu.effectiveAddress(slot);
    r[ESP] = esp;
    if (size === 32) cpu.write32(address, value);
    else cpu.write16(address, value);
    r[ESP] = after;
  } else {
    r[ESP] = after;
    cpu.writeRegister(dst, size, value);
  }
}

function pushAll(cpu: Cpu, size: number): void {
  const r = cpu.r;
  const bytes = size / 8;
  const esp = r[ESP]!;
  for (let i = 0; i < 8; i++) {
    const address = (esp - (i + 1) * bytes) | 0;
    if (size === 32) cpu.write32(address, r[i]!);
    else cpu.write16(address, r[i]!);
  }
  r[ESP] = (esp - 8 * bytes) | 0;
}

/** popa: reads all eight slots first (the saved esp is skipped), then loads them. */
function popAll(cpu: Cpu, size: number): void {
  const r = cpu.r;
  const bytes = size / 8;
  const esp = r[ESP]!;
  const values = popAllScratch;
  for (let i = 0; i < 8; i++) {
    const address = (esp + (7 - i) * bytes) | 0;
    values[i] = size === 32 ? cpu.read32(address) : cpu.read16(address);
  }
  for (let i = 0; i < 8; i++) if (i !== ESP) cpu.writeRegister(i, size, values[i]!);
  r[ESP] = (esp + 8 * bytes) | 0;
}

const popAllScratch = new Int32Array(8);

/** enter size, level (32-bit frame): every store happens before any register changes. */
function enter(cpu: Cpu, frameBytes: number, level: number): void {
  const r = cpu.r;
  let esp = (r[ESP]! - 4) | 0;
  cpu.write32(esp, r[EBP]!);
  const frameTemp = esp;
  if (level > 0) {
    let ebp = r[EBP]!;
    for (let i = 1; i < level; i++) {
      ebp = (ebp - 4) | 0;
      const saved = cpu.read32(ebp);
      esp = (esp - 4) | 0;
      cpu.write32(esp, saved);
    }
    esp = (esp - 4) | 0;
    cpu.write32(esp, frameTemp);
  }
  r[EBP] = frameTemp;
  r[ESP] = (esp - frameBytes) | 0;
}

/** daa / das, as the SDM's pseudo-code; OF is undefined (left 0). */
function decimalAdjust(cpu: Cpu, subtract: boolean): void {
  const flags = cpu.flags;
  const carryIn = flags.cf();
  const auxiliaryIn = flags.af() !== 0;
  const before = cpu.r[0]! & 0xff;
  let al = before;
  let carry = 0;
  let auxiliary = 0;
  if ((before & 0x0f) > 9 || auxiliaryIn) {
    carry = subtract ? carryIn | (before < 6 ? 1 : 0) : carryIn | (before + 6 > 0xff ? 1 : 0);
    al = (subtract ? al - 6 : al + 6) & 0xff;
    auxiliary = FLAG_AF;
  }
  if (before > 0x99 || carryIn !== 0) {
    al = (subtract ? al - 0x60 : al + 0x60) & 0xff;
    carry = 1;
  } else if (!subtract) {
    carry = 0;
  }
  cpu.writeRegister(0, 8, al);
  setStatusFlags(cpu, carry | auxiliary | resultFlags(al));
}

/** aaa / aas: ax +/- 0x106, al keeps its low nibble; OF SF ZF PF are undefined (kept). */
function asciiAdjust(cpu: Cpu, subtract: boolean): void {
  const flags = cpu.flags;
  const r = cpu.r;
  let ax = r[0]! & 0xffff;
  let adjusted = 0;
  if ((ax & 0x0f) > 9 || flags.af() !== 0) {
    ax = subtract ? ax - 6 - 0x100 : ax + 0x106;
    adjusted = FLAG_AF | FLAG_CF;
  }
  cpu.writeRegister(0, 16, ax & 0xff0f);
  flags.materialise();
  flags.word = (flags.word & ~(FLAG_AF | FLAG_CF)) | adjusted;
}

/** ZF, SF and PF of a byte result. */
function resultFlags(byte: number): number {
  return (byte === 0 ? FLAG_ZF : 0) | (byte & 0x80 ? FLAG_SF : 0) | parityFlagOfByte[byte]!;
}

function setStatusFlags(cpu: Cpu, status: number): void {
  const flags = cpu.flags;
  flags.materialise();
  flags.word = (flags.word & ~STATUS_FLAGS) | status;
}

/** bound: the register must lie within the signed pair [lower, upper] in memory, else #BR. */
function checkBounds(cpu: Cpu, slot: number, size: number, reg: number): void {
  const index = cpu.readRegister(reg, size);
  const address = cpu.effectiveAddress(slot);
  const next = (address + size / 8) | 0;
  const lower = size === 32 ? cpu.read32(address) : (cpu.read16(address) << 16) >> 16;
  const upper = size === 32 ? cpu.read32(next) : (cpu.read16(next) << 16) >> 16;
  if (index < lower || index > upper) cpu.raise(VECTOR_BOUND_RANGE, 0);
}

const cpuidScratch = new Int32Array(4);

function setFlagBit(cpu: Cpu, handler: number): void {
  const flags = cpu.flags;
  flags.materialise();
  switch (handler) {
    case HandlerId.Clc:
      flags.word &= ~FLAG_CF;
      break;
    case HandlerId.Stc:
      flags.word |= FLAG_CF;
      break;
    case HandlerId.Cmc:
      flags.word ^= FLAG_CF;
      break;
    case HandlerId.Cld:
      flags.word &= ~FLAG_DF;
      break;
    default:
      flags.word |= FLAG_DF;
      break;
  }
}

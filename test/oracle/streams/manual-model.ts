// A model of the Intel manual's Operation pseudocode (SDM vol. 2) for the instructions of the
// sweep program (sweep.ts), written loop for loop as the manual writes them, to tell where
// qemu-i386 departs from the manual on a flag or result the manual defines. It is a reference
// for the oracle, not an emulator: register operands only, values known in advance.

import { AF, CF, OF, PF, SF, STATUS, ZF } from "./defined-flags.ts";
import type { Width } from "./registers.ts";

/** One sweep instruction: EAX is the destination (al/ax/eax), EBX the source, CL a count. */
export interface SweepCase {
  mnemonic: string;
  width: Width;
  /** cl/imm/one: count operand; reg: source in EBX; imm-src: immediate source; none: one operand. */
  form: "cl" | "imm" | "one" | "reg" | "imm-src" | "none" | "three";
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
  /** EFLAGS loaded before the instruction (status bits only). */
  flags: number;
  imm: number;
}

export interface ManualOutcome {
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
  flags: number;
  /** Register bits the manual leaves undefined: [register index, bits]. */
  undefinedRegBits: Array<[number, number]>;
}

function mask(width: number): number {
  return width === 32 ? 0xffffffff : (1 << width) - 1;
}

function msb(value: number, width: number): number {
  return Math.floor(value / 2 ** (width - 1)) & 1;
}

function low(value: number, width: number): number {
  return (value >>> 0) % 2 ** width;
}

/** SF, ZF, PF "set according to the result" (PF: even parity of the low byte). */
function resultFlags(result: number, width: number): number {
  let flags = 0;
  if (msb(result, width)) flags |= SF;
  if (result === 0) flags |= ZF;
  let byte = result & 0xff;
  byte ^= byte >> 4;
  byte ^= byte >> 2;
  byte ^= byte >> 1;
  if ((byte & 1) === 0) flags |= PF;
  return flags;
}

function withFlags(old: number, changed: number, values: number): number {
  return (old & ~changed) | (values & changed);
}

function toSigned(value: number, width: number): number {
  return msb(value, width) ? value - 2 ** width : value;
}

/** ADD/ADC/SUB/SBB/CMP/NEG: all six from the arithmetic. */
function addSub(a: number, b: number, carryIn: number, subtract: boolean, width: number) {
  const full = subtract ? a - b - carryIn : a + b + carryIn;
  const result = low(full, width);
  let flags = resultFlags(result, width);
  if (full < 0 || full > mask(width)) flags |= CF;
  if ((a ^ b ^ result) & 0x10) flags |= AF;
  const signA = msb(a, width);
  const signB = msb(b, width);
  const signR = msb(result, width);
  const overflow = subtract
    ? signA !== signB && signR !== signA
    : signA === signB && signR !== signA;
  if (overflow) flags |= OF;
  return { result, flags };
}

function shiftOrRotate(c: SweepCase, value: number, count: number, flags: number) {
  const w = c.width;
  const masked = count & 0x1f;
  let dest = value;
  let cf = flags & CF ? 1 : 0;
  let of = flags & OF ? 1 : 0;
  let changed = 0;
  switch (c.mnemonic) {
    case "shl":
    case "shr":
    case "sar": {
      // SAL/SAR/SHL/SHR: WHILE tempCOUNT != 0: CF <- MSB or LSB; DEST shifted by one.
      const original = dest;
      for (let i = 0; i < masked; i++) {
        if (c.mnemonic === "shl") {
          cf = msb(dest, w);
          dest = low(dest * 2, w);
        } else {
          cf = dest & 1;
          const sign = c.mnemonic === "sar" ? msb(dest, w) : 0;
          dest = Math.floor(dest / 2) + sign * 2 ** (w - 1);
        }
      }
      if (masked === 0) return { dest, flags };
      if (masked === 1) {
        of = c.mnemonic === "shl" ? msb(dest, w) ^ cf : c.mnemonic === "sar" ? 0 : msb(original, w);
      }
      const values = resultFlags(dest, w) | (cf ? CF : 0) | (of ? OF : 0);
      changed = SF | ZF | PF | CF | OF;
      return { dest, flags: withFlags(flags, changed, values) };
    }
    case "rol":
    case "ror": {
      // ROL/ROR: tempCOUNT <- (COUNT & COUNTMASK) MOD SIZE; CF and OF from the final DEST.
      for (let i = 0; i < masked % w; i++) {
        if (c.mnemonic === "rol") dest = low(dest * 2, w) + msb(dest, w);
        else dest = Math.floor(dest / 2) + (dest & 1) * 2 ** (w - 1);
      }
      if (masked === 0) return { dest, flags };
      cf = c.mnemonic === "rol" ? dest & 1 : msb(dest, w);
      if (masked === 1)
        of = c.mnemonic === "rol" ? msb(dest, w) ^ cf : msb(dest, w) ^ msb(dest, w - 1);
      return { dest, flags: withFlags(flags, CF | OF, (cf ? CF : 0) | (of ? OF : 0)) };
    }
    default: {
      // RCL/RCR: tempCOUNT <- (COUNT & COUNTMASK) MOD (SIZE + 1) for 8/16 bits; CF rotates through.
      const temp = w === 32 ? masked : masked % (w + 1);
      if (c.mnemonic === "rcr" && masked === 1) of = msb(dest, w) ^ cf;
      for (let i = 0; i < temp; i++) {
        if (c.mnemonic === "rcl") {
          const out = msb(dest, w);
          dest = low(dest * 2, w) + cf;
          cf = out;
        } else {
          const out = dest & 1;
          dest = Math.floor(dest / 2) + cf * 2 ** (w - 1);
          cf = out;
        }
      }
      if (masked === 0) return { dest, flags };
      if (c.mnemonic === "rcl" && masked === 1) of = msb(dest, w) ^ cf;
      return { dest, flags: withFlags(flags, CF | OF, (cf ? CF : 0) | (of ? OF : 0)) };
    }
  }
}

/** SHLD/SHRD: COUNT <- COUNT MOD 32; CF <- last bit shifted out of DEST. */
function doubleShift(c: SweepCase, dest: number, src: number, count: number, flags: number) {
  const w = c.width;
  const n = count & 0x1f;
  if (n === 0 || n > w) return { dest, flags };
  let result: number;
  let cf: number;
  if (c.mnemonic === "shld") {
    cf = Math.floor(dest / 2 ** (w - n)) & 1;
    result = low(dest * 2 ** n, w) + Math.floor(src / 2 ** (w - n));
  } else {
    cf = Math.floor(dest / 2 ** (n - 1)) & 1;
    result = Math.floor(dest / 2 ** n) + low(src * 2 ** (w - n), w);
  }
  result = low(result, w);
  const of = n === 1 && msb(result, w) !== msb(dest, w) ? OF : 0;
  return {
    dest: result,
    flags: withFlags(flags, STATUS & ~AF, resultFlags(result, w) | (cf ? CF : 0) | of),
  };
}

function setLow(full: number, value: number, width: number): number {
  if (width === 32) return value >>> 0;
  return ((full & ~mask(width)) | value) >>> 0;
}

/** The manual's outcome for one sweep case; flags the manual leaves undefined are left as 0. */
export function manualOutcome(c: SweepCase): ManualOutcome {
  const w = c.width;
  const out: ManualOutcome = {
    eax: c.eax >>> 0,
    ebx: c.ebx >>> 0,
    ecx: c.ecx >>> 0,
    edx: c.edx >>> 0,
    flags: c.flags,
    undefinedRegBits: [],
  };
  const a = low(c.eax, w);
  const b = c.form === "imm-src" ? low(c.imm, w) : low(c.ebx, w);
  const count = c.form === "cl" ? c.ecx & 0xff : c.form === "one" ? 1 : c.imm;
  const carry = c.flags & CF ? 1 : 0;
  switch (c.mnemonic) {
    case "add":
    case "adc":
    case "sub":
    case "sbb":
    case "cmp": {
      const subtract = c.mnemonic === "sub" || c.mnemonic === "sbb" || c.mnemonic === "cmp";
      const carryIn = c.mnemonic === "adc" || c.mnemonic === "sbb" ? carry : 0;
      const r = addSub(a, b, carryIn, subtract, w);
      if (c.mnemonic !== "cmp") out.eax = setLow(out.eax, r.result, w);
      out.flags = withFlags(c.flags, STATUS, r.flags);
      break;
    }
    case "and":
    case "or":
    case "xor":
    case "test": {
      const r =
        c.mnemonic === "or" ? (a | b) >>> 0 : c.mnemonic === "xor" ? (a ^ b) >>> 0 : (a & b) >>> 0;
      if (c.mnemonic !== "test") out.eax = setLow(out.eax, low(r, w), w);
      out.flags = withFlags(c.flags, STATUS, resultFlags(low(r, w), w));
      break;
    }
    case "neg": {
      const r = addSub(0, a, 0, true, w);
      out.eax = setLow(out.eax, r.result, w);
      out.flags = withFlags(c.flags, STATUS, (r.flags & ~CF) | (a !== 0 ? CF : 0));
      break;
    }
    case "inc":
    case "dec": {
      const r = addSub(a, 1, 0, c.mnemonic === "dec", w);
      out.eax = setLow(out.eax, r.result, w);
      out.flags = withFlags(c.flags, STATUS & ~CF, r.flags);
      break;
    }
    case "not":
      out.eax = setLow(out.eax, low(~a, w), w);
      break;
    case "shl":
    case "shr":
    case "sar":
    case "rol":
    case "ror":
    case "rcl":
    case "rcr": {
      const r = shiftOrRotate(c, a, count, c.flags);
      out.eax = setLow(out.eax, r.dest, w);
      out.flags = r.flags;
      break;
    }
    case "shld":
    case "shrd": {
      const r = doubleShift(c, a, low(c.ebx, w), count, c.flags);
      out.eax = setLow(out.eax, r.dest, w);
      out.flags = r.flags;
      if ((count & 0x1f) > w) out.undefinedRegBits.push([0, mask(w)]);
      break;
    }
    case "mul":
    case "imul": {
      if (c.form === "none") {
        // One operand: AX <- AL * r/m8; DX:AX <- AX * r/m16; EDX:EAX <- EAX * r/m32.
        const signed = c.mnemonic === "imul";
        const x = signed ? BigInt(toSigned(a, w)) : BigInt(a);
        const y = signed ? BigInt(toSigned(b, w)) : BigInt(b);
        const product = BigInt.asUintN(2 * w, x * y);
        const lowHalf = Number(product & BigInt(mask(w)));
        const highHalf = Number(product >> BigInt(w));
        const fits = signed
          ? BigInt.asIntN(2 * w, product) === BigInt.asIntN(w, product)
          : highHalf === 0;
        if (w === 8) out.eax = setLow(out.eax, Number(product), 16);
        else {
          out.eax = setLow(out.eax, lowHalf, w);
          out.edx = setLow(out.edx, highHalf, w);
        }
        out.flags = withFlags(c.flags, CF | OF, fits ? 0 : CF | OF);
      } else {
        // Two/three operands: DEST <- truncated product; CF = OF = (it did not fit).
        const factor =
          c.form === "three" ? BigInt.asIntN(w, BigInt(c.imm)) : BigInt(toSigned(b, w));
        const multiplicand = c.form === "three" ? BigInt(toSigned(b, w)) : BigInt(toSigned(a, w));
        const product = multiplicand * factor;
        const truncated = BigInt.asIntN(w, product);
        out.eax = setLow(out.eax, Number(BigInt.asUintN(w, product)), w);
        out.flags = withFlags(c.flags, CF | OF, truncated === product ? 0 : CF | OF);
      }
      break;
    }
    case "bt":
    case "bts":
    case "btr":
    case "btc": {
      // Register operand: BitOffset MOD operand size.
      const offset = (c.form === "reg" ? b : c.imm) % w;
      const bit = Math.floor(a / 2 ** offset) & 1;
      let r = a;
      if (c.mnemonic === "bts" && !bit) r = a + 2 ** offset;
      if (c.mnemonic === "btr" && bit) r = a - 2 ** offset;
      if (c.mnemonic === "btc") r = bit ? a - 2 ** offset : a + 2 ** offset;
      out.eax = setLow(out.eax, r, w);
      out.flags = withFlags(c.flags, CF, bit ? CF : 0);
      break;
    }
    case "bsf":
    case "bsr": {
      if (b === 0) {
        out.flags = withFlags(c.flags, ZF, ZF);
        out.undefinedRegBits.push([0, mask(w)]);
        break;
      }
      let index = 0;
      if (c.mnemonic === "bsf") while (!(Math.floor(b / 2 ** index) & 1)) index++;
      else for (index = w - 1; !(Math.floor(b / 2 ** index) & 1); index--);
      out.eax = setLow(out.eax, index, w);
      out.flags = withFlags(c.flags, ZF, 0);
      break;
    }
    default:
      throw new Error(`manual-model: no model for ${c.mnemonic}`);
  }
  return out;
}

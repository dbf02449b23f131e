// Register names by size and the random values the stream generator loads into them. Index =
// x86 encoding order (eax ecx edx ebx esp ebp esi edi); 8-bit index 4..7 are ah ch dh bh, the
// high bytes of registers 0..3. ESP is never a destination in the streams: it holds the stack.

import type { Prng } from "./prng.ts";

export type Width = 8 | 16 | 32;

export const reg32Names = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] as const;
export const reg16Names = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"] as const;
export const reg8Names = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"] as const;

export const ESP = 4;

/** The 32-bit registers a random instruction may write (all but ESP). */
export const writableRegs: readonly number[] = [0, 1, 2, 3, 5, 6, 7];

/** A register operand of a given width, by encoding index. */
export interface RegOperand {
  width: Width;
  index: number;
}

export function regName(reg: RegOperand): string {
  if (reg.width === 32) return reg32Names[reg.index]!;
  if (reg.width === 16) return reg16Names[reg.index]!;
  return reg8Names[reg.index]!;
}

/** The 32-bit register that holds `reg` (ah -> eax). */
export function fullRegOf(reg: RegOperand): number {
  return reg.width === 8 ? reg.index & 3 : reg.index;
}

/**
 * A random writable register of `width` whose full register is not in `avoid`. 8-bit picks
 * include ah..bh; 16/32-bit never pick sp/esp.
 */
export function randomReg(
  prng: Prng,
  width: Width,
  avoid: ReadonlySet<number> = new Set(),
): RegOperand {
  const candidates: number[] = [];
  if (width === 8) {
    for (let index = 0; index < 8; index++) if (!avoid.has(index & 3)) candidates.push(index);
  } else {
    for (const index of writableRegs) if (!avoid.has(index)) candidates.push(index);
  }
  if (candidates.length === 0) throw new Error("randomReg: every register is reserved");
  return { width, index: prng.pick(candidates) };
}

export function widthMask(width: Width): number {
  return width === 32 ? 0xffffffff : (1 << width) - 1;
}

/** Values at the edges where flags change: zero, one, all ones, the sign boundaries. */
function edgeValues(width: Width): number[] {
  const top = widthMask(width);
  const sign = 2 ** (width - 1);
  return [0, 1, 2, top, top - 1, sign, sign - 1, sign + 1, 0x0f, 0x10, 0x80 & top, 0x7f];
}

/** A random unsigned value of `width` bits, biased towards the flag edges. */
export function randomValue(prng: Prng, width: Width): number {
  const roll = prng.below(10);
  if (roll < 4) return prng.pick(edgeValues(width));
  if (roll < 6) return prng.below(0x100) & widthMask(width);
  return width === 32 ? prng.nextU32() : prng.nextU32() & widthMask(width);
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** An immediate as NASM source: negative values written signed so NASM may pick imm8 forms. */
export function immText(value: number, width: Width): string {
  const unsigned = (value >>> 0) & widthMask(width);
  const sign = 2 ** (width - 1);
  if (unsigned >= sign && unsigned - 2 ** width >= -128) return String(unsigned - 2 ** width);
  return hex(unsigned);
}

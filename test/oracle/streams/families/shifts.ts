// Shift and rotate families: SHL SAL SHR SAR ROL ROR RCL RCR by 1, by CL and by imm8, and
// SHLD/SHRD by imm8 and CL, with counts 0, 1, 2..width-1, = width, width+1..31 and >= 32 (the
// CPU masks counts to 5 bits), on registers and on the window.

import type { Prng } from "../prng.ts";
import { fullRegOf, randomReg, randomValue, regName, type Width } from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";
import { randomWidth, sizeKeyword, windowOffset } from "./operand-text.ts";

const shiftOps = ["shl", "sal", "shr", "sar", "rol", "ror", "rcl", "rcr"] as const;
const ECX = 1;

/** A count from one of the interesting classes for an operand of `width` bits. */
function randomCount(prng: Prng, width: number): number {
  switch (prng.below(6)) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return prng.between(2, width - 1);
    case 3:
      return width === 32 ? prng.pick([32, 31]) : width;
    case 4:
      return prng.between(Math.min(width + 1, 31), 31);
    default:
      return prng.between(32, 255);
  }
}

/** `mov cl, N` or a whole-ECX load whose low byte is N (the upper bits must not matter). */
function countSetup(prng: Prng, count: number): string {
  if (prng.chance(0.5)) return `mov cl, ${count}`;
  const high = randomValue(prng, 32) & 0xffffff00;
  return `mov ecx, 0x${((high | count) >>> 0).toString(16)}`;
}

export function emitShift(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(shiftOps);
  const width = randomWidth(prng);
  const form = prng.pick(["one", "cl", "imm"] as const);
  const count = form === "one" ? 1 : randomCount(prng, width);
  const countText = form === "one" ? "1" : form === "cl" ? "cl" : String(count);
  const setup = form === "cl" ? [countSetup(prng, count)] : [];
  const avoid = form === "cl" ? new Set([ECX]) : new Set<number>();
  const context = { widthBits: width, count };
  if (prng.chance(0.7)) {
    const dst = regName(randomReg(prng, width, avoid));
    b.emit({ setup, lines: [`${op} ${dst}, ${countText}`], mnemonic: op, context });
    return;
  }
  const mem = b.memory("window", windowOffset(prng, width), avoid);
  b.emit({
    setup: [...mem.setup, ...setup],
    lines: [`${op} ${sizeKeyword(width)} ${mem.text}, ${countText}`],
    mnemonic: op,
    context,
    writesWindow: true,
  });
}

export function emitDoubleShift(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(["shld", "shrd"] as const);
  const width: Width = prng.pick([16, 32] as const);
  const byCl = prng.chance(0.5);
  const toMemory = prng.chance(0.3);
  let count = randomCount(prng, width);
  // The manual leaves a 16-bit destination undefined for counts above 16; a register can be
  // masked and reloaded, the window cannot, so memory destinations keep to defined counts.
  if (toMemory && width === 16 && (count & 31) > 16) count = 16;
  const avoid = byCl ? new Set([ECX]) : new Set<number>();
  const setup = byCl ? [countSetup(prng, count)] : [];
  const src = randomReg(prng, width, avoid);
  const countText = byCl ? "cl" : String(count);
  const context = { widthBits: width, count };
  if (!toMemory) {
    const dst = randomReg(prng, width, avoid);
    const undefinedDestination = (count & 31) > width;
    b.emit({
      setup,
      lines: [`${op} ${regName(dst)}, ${regName(src)}, ${countText}`],
      mnemonic: op,
      context,
      undefinedRegBits: undefinedDestination ? [[fullRegOf(dst), 0xffff]] : [],
    });
    return;
  }
  const mem = b.memory("window", windowOffset(prng, width), new Set([...avoid, fullRegOf(src)]));
  b.emit({
    setup: [...mem.setup, ...setup],
    lines: [`${op} ${sizeKeyword(width)} ${mem.text}, ${regName(src)}, ${countText}`],
    mnemonic: op,
    context,
    writesWindow: true,
  });
}

// MUL and IMUL (one-, two- and three-operand forms) and DIV/IDIV. Division operands are chosen
// so the quotient fits (no #DE in a stream): quotient and remainder are picked first and the
// dividend is built from them. Divisors in memory come from rodata, whose bytes are known.

import { RODATA_SIZE_BYTES } from "../memory-regions.ts";
import type { Prng } from "../prng.ts";
import {
  fullRegOf,
  immText,
  randomReg,
  randomValue,
  regName,
  type Width,
  widthMask,
} from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";
import { randomWidth, sizeKeyword, windowOffset } from "./operand-text.ts";

const EAX = 0;
const EDX = 2;

export function emitMultiply(b: StreamBuilder): void {
  const { prng } = b;
  const form = prng.pick(["one", "one", "two", "three"] as const);
  const context = (width: Width) => ({ widthBits: width });
  if (form === "one") {
    const op = prng.pick(["mul", "imul"] as const);
    const width = randomWidth(prng);
    if (prng.chance(0.6)) {
      b.emit({
        lines: [`${op} ${regName(randomReg(prng, width))}`],
        mnemonic: op,
        context: context(width),
      });
      return;
    }
    const mem = b.memory("window", windowOffset(prng, width), new Set([EAX, EDX]));
    b.emit({
      setup: mem.setup,
      lines: [`${op} ${sizeKeyword(width)} ${mem.text}`],
      mnemonic: op,
      context: context(width),
    });
    return;
  }
  const width: Width = prng.pick([16, 32] as const);
  const dst = randomReg(prng, width);
  const imm = form === "three" ? `, ${immText(randomValue(prng, width), width)}` : "";
  if (form === "three" && prng.chance(0.25)) {
    // `imul r, imm` is NASM's short spelling of `imul r, r, imm`.
    b.emit({ lines: [`imul ${regName(dst)}${imm}`], mnemonic: "imul", context: context(width) });
    return;
  }
  if (prng.chance(0.6)) {
    const src = regName(randomReg(prng, width));
    b.emit({
      lines: [`imul ${regName(dst)}, ${src}${imm}`],
      mnemonic: "imul",
      context: context(width),
    });
    return;
  }
  const mem = b.memory("window", windowOffset(prng, width), new Set([fullRegOf(dst)]));
  b.emit({
    setup: mem.setup,
    lines: [`imul ${regName(dst)}, ${sizeKeyword(width)} ${mem.text}${imm}`],
    mnemonic: "imul",
    context: context(width),
  });
}

function randomBig(prng: Prng, bits: number): bigint {
  return BigInt(randomValue(prng, 32)) & ((1n << BigInt(bits)) - 1n);
}

/** A dividend (2*width bits, unsigned two's complement) whose quotient by `divisor` fits. */
function dividendFor(prng: Prng, width: Width, divisor: bigint, signed: boolean): bigint {
  const bits = BigInt(width);
  const full = 1n << (2n * bits);
  if (!signed) {
    const quotient = prng.chance(0.2) ? (1n << bits) - 1n : randomBig(prng, width);
    const remainder = divisor > 1n ? randomBig(prng, 32) % divisor : 0n;
    return quotient * divisor + remainder;
  }
  const signBit = 1n << (bits - 1n);
  const d = divisor >= signBit ? divisor - (1n << bits) : divisor;
  let quotient = randomBig(prng, width);
  if (quotient >= signBit) quotient -= 1n << bits;
  if (prng.chance(0.1)) quotient = prng.chance(0.5) ? -signBit : signBit - 1n;
  const magnitude = d < 0n ? -d : d;
  let remainder = magnitude > 1n ? randomBig(prng, 32) % magnitude : 0n;
  const product = quotient * d;
  // The remainder takes the dividend's sign (IDIV truncates towards zero).
  if (product < 0n || (product === 0n && prng.chance(0.5))) remainder = -remainder;
  const dividend = product + remainder;
  return ((dividend % full) + full) % full;
}

export function emitDivide(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(["div", "idiv"] as const);
  const width = randomWidth(prng);
  const mask = BigInt(widthMask(width));
  const fromMemory = prng.chance(0.4);
  const setup: string[] = [];
  let divisor: bigint;
  let operand: string;
  const avoid = new Set(width === 8 ? [EAX] : [EAX, EDX]);
  if (fromMemory) {
    let offset = prng.below(RODATA_SIZE_BYTES - width / 8 + 1);
    while (b.rodataValue(offset, width / 8) === 0) offset = (offset + 1) % (RODATA_SIZE_BYTES - 4);
    divisor = BigInt(b.rodataValue(offset, width / 8));
    const mem = b.memory("rodata", offset, avoid);
    setup.push(...mem.setup);
    operand = `${sizeKeyword(width)} ${mem.text}`;
  } else {
    const reg = randomReg(prng, width, avoid);
    divisor = BigInt(randomValue(prng, width)) & mask;
    if (divisor === 0n) divisor = prng.chance(0.5) ? 1n : mask;
    setup.push(`mov ${regName(reg)}, 0x${divisor.toString(16)}`);
    operand = regName(reg);
  }
  const dividend = dividendFor(prng, width, divisor, op === "idiv");
  if (width === 8) {
    setup.push(`mov ax, 0x${dividend.toString(16)}`);
  } else {
    const bits = BigInt(width);
    const [high, low] = width === 16 ? ["dx", "ax"] : ["edx", "eax"];
    setup.push(`mov ${high}, 0x${(dividend >> bits).toString(16)}`);
    setup.push(`mov ${low}, 0x${(dividend & mask).toString(16)}`);
  }
  b.emit({ setup, lines: [`${op} ${operand}`], mnemonic: op, context: { widthBits: width } });
}

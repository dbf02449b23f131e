// ALU families: two-operand ADD ADC SUB SBB AND OR XOR CMP TEST and one-operand INC DEC NEG NOT,
// in 8/16/32 bits with register, immediate and memory operands; and ADD/ADC, SUB/SBB chains
// (multi-word arithmetic, CF carried from step to step).

import { RODATA_SIZE_BYTES } from "../memory-regions.ts";
import { fullRegOf, immText, randomReg, randomValue, regName, type Width } from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";
import { maybeLock, randomWidth, sizeKeyword, windowOffset } from "./operand-text.ts";

const binaryOps = ["add", "adc", "sub", "sbb", "and", "or", "xor", "cmp", "test"] as const;
const unaryOps = ["inc", "dec", "neg", "not"] as const;

function writesDestination(op: string): boolean {
  return op !== "cmp" && op !== "test";
}

export function emitBinaryAlu(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(binaryOps);
  const width = randomWidth(prng);
  const form = prng.pick(["rr", "ri", "rm", "mr", "mi"] as const);
  const context = { widthBits: width };
  if (form === "rr" || form === "ri") {
    const dst = regName(randomReg(prng, width));
    const src =
      form === "rr" ? regName(randomReg(prng, width)) : immText(randomValue(prng, width), width);
    b.emit({ lines: [`${op} ${dst}, ${src}`], mnemonic: op, context });
    return;
  }
  if (form === "rm") {
    const reg = randomReg(prng, width);
    const fromWindow = prng.chance(0.5);
    const offset = fromWindow
      ? windowOffset(prng, width)
      : prng.below(RODATA_SIZE_BYTES - width / 8 + 1);
    const mem = b.memory(fromWindow ? "window" : "rodata", offset, new Set([fullRegOf(reg)]));
    // The register is loaded after the address setup, which may have reused its full register.
    const line = `${op} ${regName(reg)}, ${sizeKeyword(width)} ${mem.text}`;
    b.emit({ setup: mem.setup, lines: [line], mnemonic: op, context });
    return;
  }
  const srcReg = randomReg(prng, width);
  const mem = b.memory("window", windowOffset(prng, width), new Set([fullRegOf(srcReg)]));
  const src = form === "mr" ? regName(srcReg) : immText(randomValue(prng, width), width);
  b.emit({
    setup: mem.setup,
    lines: [
      `${writesDestination(op) ? maybeLock(prng) : ""}${op} ${sizeKeyword(width)} ${mem.text}, ${src}`,
    ],
    mnemonic: op,
    context,
    writesWindow: writesDestination(op),
  });
}

export function emitUnaryAlu(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(unaryOps);
  const width = randomWidth(prng);
  if (prng.chance(0.6)) {
    b.emit({
      lines: [`${op} ${regName(randomReg(prng, width))}`],
      mnemonic: op,
      context: { widthBits: width },
    });
    return;
  }
  const mem = b.memory("window", windowOffset(prng, width));
  b.emit({
    setup: mem.setup,
    lines: [`${maybeLock(prng)}${op} ${sizeKeyword(width)} ${mem.text}`],
    mnemonic: op,
    context: { widthBits: width },
    writesWindow: true,
  });
}

/** ADD then ADC... (or SUB then SBB...) across 2-4 registers: a multi-word add/subtract. */
export function emitCarryChain(b: StreamBuilder): void {
  const { prng } = b;
  const subtract = prng.chance(0.5);
  const width: Width = prng.pick([8, 16, 32] as const);
  const links = prng.between(2, 4);
  for (let i = 0; i < links; i++) {
    const op = i === 0 ? (subtract ? "sub" : "add") : subtract ? "sbb" : "adc";
    const dst = regName(randomReg(prng, width));
    const src = prng.chance(0.7)
      ? regName(randomReg(prng, width))
      : immText(randomValue(prng, width), width);
    b.emit({ lines: [`${op} ${dst}, ${src}`], mnemonic: op, context: { widthBits: width } });
  }
}

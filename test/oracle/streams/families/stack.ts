// Stack families: PUSH (register, imm8/imm32, 16-bit forms, memory), POP (register, memory),
// PUSHF/PUSHFD, POPF/POPFD, PUSHA/PUSHAD, POPA/POPAD. The builder's stack model keeps pops above
// the pushes and lets POPF load only bytes that came from flags or from a flag image with no
// TF/AC/ID bits (loading TF would single-step the program into SIGTRAP).

import { AF, CF, DF, OF, PF, SF, ZF } from "../defined-flags.ts";
import { hex, immText, randomReg, randomValue, regName, type Width } from "../registers.ts";
import { STACK_DEPTH_MAX_BYTES, type StreamBuilder } from "../stream-builder.ts";
import { sizeKeyword, windowOffset } from "./operand-text.ts";

const safeFlagBits = [CF, PF, AF, ZF, SF, DF, OF];

function randomFlagImage(b: StreamBuilder): number {
  let value = 0x2;
  for (const bit of safeFlagBits) if (b.prng.chance(0.5)) value |= bit;
  return value;
}

function emitPush(b: StreamBuilder): void {
  const { prng } = b;
  const width: Width = prng.chance(0.75) ? 32 : 16;
  const bytes = width / 8;
  const form = prng.pick(["reg", "imm", "imm", "mem", "flags"] as const);
  const push = width === 32 ? "push dword" : "push word";
  if (form === "reg") {
    b.emit({
      lines: [`push ${regName(randomReg(prng, width))}`],
      mnemonic: "push",
      context: { widthBits: width },
    });
    b.pushed(bytes, false);
  } else if (form === "imm") {
    // A flag image (safe for POPF later) or any value; small ones take the imm8 encoding.
    const flagImage = prng.chance(0.5);
    const value = flagImage ? randomFlagImage(b) : randomValue(prng, width);
    const text = flagImage ? hex(value) : immText(value, width);
    b.emit({ lines: [`${push} ${text}`], mnemonic: "push", context: { widthBits: width } });
    b.pushed(bytes, flagImage);
  } else if (form === "mem") {
    const mem = b.memory("window", windowOffset(prng, width));
    b.emit({
      setup: mem.setup,
      lines: [`push ${sizeKeyword(width)} ${mem.text}`],
      mnemonic: "push",
      context: { widthBits: width },
    });
    b.pushed(bytes, false);
  } else {
    const op = width === 32 ? "pushfd" : "pushfw";
    b.emit({ lines: [op], mnemonic: op, context: { widthBits: width } });
    b.pushed(bytes, true);
  }
}

function emitPop(b: StreamBuilder): void {
  const { prng } = b;
  const width: Width = b.stackDepthBytes >= 4 && prng.chance(0.75) ? 32 : 16;
  const bytes = width / 8;
  const roll = prng.below(4);
  if (roll === 0 && b.stackTopSafe(bytes)) {
    const op = width === 32 ? "popfd" : "popfw";
    b.emit({ lines: [op], mnemonic: op, context: { widthBits: width } });
  } else if (roll === 1) {
    const mem = b.memory("window", windowOffset(prng, width));
    b.emit({
      setup: mem.setup,
      lines: [`pop ${sizeKeyword(width)} ${mem.text}`],
      mnemonic: "pop",
      context: { widthBits: width },
      writesWindow: true,
    });
  } else {
    b.emit({
      lines: [`pop ${regName(randomReg(prng, width))}`],
      mnemonic: "pop",
      context: { widthBits: width },
    });
  }
  b.popped(bytes);
}

function emitPushAll(b: StreamBuilder): void {
  const width: Width = b.prng.chance(0.7) ? 32 : 16;
  const bytes = width === 32 ? 32 : 16;
  if (b.stackDepthBytes >= bytes && b.prng.chance(0.5)) {
    const op = width === 32 ? "popad" : "popaw";
    b.emit({ lines: [op], mnemonic: op, context: { widthBits: width } });
    b.popped(bytes);
    return;
  }
  if (b.stackDepthBytes + bytes > STACK_DEPTH_MAX_BYTES) return;
  const op = width === 32 ? "pushad" : "pushaw";
  b.emit({ lines: [op], mnemonic: op, context: { widthBits: width } });
  b.pushed(bytes, false);
}

export function emitStack(b: StreamBuilder): void {
  if (b.prng.chance(0.1)) {
    emitPushAll(b);
    return;
  }
  const canPush = b.stackDepthBytes + 4 <= STACK_DEPTH_MAX_BYTES;
  const canPop = b.stackDepthBytes >= 2;
  if (canPush && (!canPop || b.prng.chance(0.5))) emitPush(b);
  else if (canPop) emitPop(b);
}

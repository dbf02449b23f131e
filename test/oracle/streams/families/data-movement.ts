// Data movement families: MOV (incl. the moffs forms), MOVZX/MOVSX, LEA with every addressing
// form, XCHG/XADD/CMPXCHG on registers and memory, BSWAP, CBW/CWDE/CWD/CDQ, SETcc, CMOVcc, NOP,
// and plain register reloads that keep values varied.

import { conditionNames } from "../defined-flags.ts";
import { labelPlus, RODATA_SIZE_BYTES } from "../memory-regions.ts";
import {
  fullRegOf,
  hex,
  immText,
  randomReg,
  randomValue,
  reg16Names,
  reg32Names,
  regName,
  type Width,
} from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";
import { maybeLock, randomWidth, sizeKeyword, windowOffset } from "./operand-text.ts";

/** Alternative NASM spellings of a condition (setz = sete, setnae = setb ...). */
const conditionAliases: Readonly<Record<string, readonly string[]>> = {
  b: ["c", "nae"],
  ae: ["nc", "nb"],
  e: ["z"],
  ne: ["nz"],
  be: ["na"],
  a: ["nbe"],
  p: ["pe"],
  np: ["po"],
  l: ["nge"],
  ge: ["nl"],
  le: ["ng"],
  g: ["nle"],
};

export function randomCondition(b: StreamBuilder): { condition: string; spelling: string } {
  const condition = b.prng.pick(conditionNames);
  const aliases = conditionAliases[condition] ?? [];
  const spelling = aliases.length > 0 && b.prng.chance(0.3) ? b.prng.pick(aliases) : condition;
  return { condition, spelling };
}

export function emitReload(b: StreamBuilder): void {
  const reg = randomReg(b.prng, 32);
  b.emit({
    lines: [`mov ${regName(reg)}, ${hex(randomValue(b.prng, 32))}`],
    mnemonic: "mov",
    context: { widthBits: 32 },
  });
}

export function emitMov(b: StreamBuilder): void {
  const { prng } = b;
  const width = randomWidth(prng);
  const context = { widthBits: width };
  const form = prng.pick(["rr", "ri", "load", "store", "moffs-load", "moffs-store", "mi"] as const);
  const reg = randomReg(prng, width);
  if (form === "rr" || form === "ri") {
    const src =
      form === "rr" ? regName(randomReg(prng, width)) : immText(randomValue(prng, width), width);
    b.emit({ lines: [`mov ${regName(reg)}, ${src}`], mnemonic: "mov", context });
    return;
  }
  if (form === "moffs-load" || form === "moffs-store") {
    // Accumulator with an absolute address: NASM picks the A0..A3 encodings.
    const acc = width === 8 ? "al" : width === 16 ? "ax" : "eax";
    const address = `[${labelPlus("window", windowOffset(prng, width))}]`;
    const line = form === "moffs-load" ? `mov ${acc}, ${address}` : `mov ${address}, ${acc}`;
    b.emit({ lines: [line], mnemonic: "mov", context, writesWindow: form === "moffs-store" });
    return;
  }
  const mem = b.memory("window", windowOffset(prng, width), new Set([fullRegOf(reg)]));
  const memText = `${sizeKeyword(width)} ${mem.text}`;
  const line =
    form === "load"
      ? `mov ${regName(reg)}, ${memText}`
      : form === "store"
        ? `mov ${memText}, ${regName(reg)}`
        : `mov ${memText}, ${immText(randomValue(prng, width), width)}`;
  b.emit({
    setup: mem.setup,
    lines: [line],
    mnemonic: "mov",
    context,
    writesWindow: form !== "load",
  });
}

export function emitExtend(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(["movzx", "movsx"] as const);
  const [dstWidth, srcWidth] = prng.pick([
    [16, 8],
    [32, 8],
    [32, 16],
  ] as const);
  const dst = randomReg(prng, dstWidth);
  if (prng.chance(0.5)) {
    b.emit({
      lines: [`${op} ${regName(dst)}, ${regName(randomReg(prng, srcWidth))}`],
      mnemonic: op,
      context: { widthBits: dstWidth },
    });
    return;
  }
  const offset = prng.below(RODATA_SIZE_BYTES - srcWidth / 8 + 1);
  const mem = b.memory("rodata", offset, new Set([fullRegOf(dst)]));
  b.emit({
    setup: mem.setup,
    lines: [`${op} ${regName(dst)}, ${sizeKeyword(srcWidth)} ${mem.text}`],
    mnemonic: op,
    context: { widthBits: dstWidth },
  });
}

/** LEA computes addresses without touching memory, so any registers (ESP too) may take part. */
export function emitLea(b: StreamBuilder): void {
  const { prng } = b;
  const width: Width = prng.chance(0.8) ? 32 : 16;
  const dst = regName(randomReg(prng, width));
  const parts: string[] = [];
  const hasBase = prng.chance(0.8);
  if (hasBase) parts.push(prng.pick(reg32Names));
  if (!hasBase || prng.chance(0.6)) {
    const index = prng.pick(reg32Names.filter((name) => name !== "esp"));
    parts.push(`${index}*${prng.pick([1, 2, 4, 8])}`);
  }
  let text = parts.join("+");
  const dispRoll = prng.below(4);
  if (dispRoll === 1) text += `${["+", "-"][prng.below(2)]}${prng.below(128)}`;
  else if (dispRoll === 2) text += `+${hex(prng.nextU32())}`;
  else if (dispRoll === 3) text += `-${prng.between(128, 0x7fffffff)}`;
  b.emit({ lines: [`lea ${dst}, [${text}]`], mnemonic: "lea", context: { widthBits: width } });
}

export function emitExchange(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(["xchg", "xadd", "cmpxchg"] as const);
  const width = randomWidth(prng);
  const context = { widthBits: width };
  const src = randomReg(prng, width);
  const toMemory = prng.chance(0.4);
  // CMPXCHG compares with the accumulator: make it equal half of the time.
  const acc = width === 8 ? "al" : width === 16 ? "ax" : "eax";
  if (!toMemory) {
    const dst = randomReg(prng, width);
    const setup =
      op === "cmpxchg" && prng.chance(0.5) && fullRegOf(dst) !== 0
        ? [`mov ${acc}, ${regName(dst)}`]
        : [];
    b.emit({ setup, lines: [`${op} ${regName(dst)}, ${regName(src)}`], mnemonic: op, context });
    return;
  }
  const mem = b.memory("window", windowOffset(prng, width), new Set([fullRegOf(src), 0]));
  const setup = [...mem.setup];
  if (op === "cmpxchg" && prng.chance(0.5))
    setup.push(`mov ${acc}, ${sizeKeyword(width)} ${mem.text}`);
  const line =
    op === "xchg" && prng.chance(0.5)
      ? `xchg ${regName(src)}, ${sizeKeyword(width)} ${mem.text}`
      : `${maybeLock(prng)}${op} ${sizeKeyword(width)} ${mem.text}, ${regName(src)}`;
  b.emit({ setup, lines: [line], mnemonic: op, context, writesWindow: true });
}

/** NOP, or the multi-byte NOP r/m (0F 1F /0) with any operand: it never touches memory. */
function hintNop(b: StreamBuilder): string {
  const { prng } = b;
  const roll = prng.below(3);
  if (roll === 0) return "nop";
  if (roll === 1) return `nop ${regName(randomReg(prng, prng.pick([16, 32] as const)))}`;
  const base = prng.pick(reg32Names);
  return `nop ${prng.pick(["word", "dword"])} [${base}+${prng.below(0x10000)}]`;
}

/** XCHG with the accumulator has its own one-byte encodings (90+r); NOP is xchg eax, eax. */
export function emitShortExchange(b: StreamBuilder): void {
  const { prng } = b;
  const roll = prng.below(3);
  if (roll === 0) {
    b.emit({ lines: [hintNop(b)], mnemonic: "nop", context: { widthBits: 32 } });
    return;
  }
  const width: Width = roll === 1 ? 32 : 16;
  const other = randomReg(prng, width, new Set([0]));
  const names = width === 32 ? reg32Names : reg16Names;
  const pair = [names[0], regName(other)];
  if (prng.chance(0.5)) pair.reverse();
  b.emit({ lines: [`xchg ${pair.join(", ")}`], mnemonic: "xchg", context: { widthBits: width } });
}

export function emitBswapOrConvert(b: StreamBuilder): void {
  const { prng } = b;
  if (prng.chance(0.4)) {
    b.emit({
      lines: [`bswap ${regName(randomReg(prng, 32))}`],
      mnemonic: "bswap",
      context: { widthBits: 32 },
    });
    return;
  }
  const op = prng.pick(["cbw", "cwde", "cwd", "cdq"] as const);
  b.emit({
    lines: [op],
    mnemonic: op,
    context: { widthBits: op === "cbw" || op === "cwd" ? 16 : 32 },
  });
}

export function emitSetcc(b: StreamBuilder): void {
  const { prng } = b;
  const { condition, spelling } = randomCondition(b);
  const context = { widthBits: 8, condition };
  if (prng.chance(0.6)) {
    b.emit({
      lines: [`set${spelling} ${regName(randomReg(prng, 8))}`],
      mnemonic: "setcc",
      context,
    });
    return;
  }
  const mem = b.memory("window", windowOffset(prng, 8));
  b.emit({
    setup: mem.setup,
    lines: [`set${spelling} byte ${mem.text}`],
    mnemonic: "setcc",
    context,
    writesWindow: true,
  });
}

export function emitCmovcc(b: StreamBuilder): void {
  const { prng } = b;
  const { condition, spelling } = randomCondition(b);
  const width: Width = prng.pick([16, 32] as const);
  const context = { widthBits: width, condition };
  const dst = randomReg(prng, width);
  if (prng.chance(0.6)) {
    b.emit({
      lines: [`cmov${spelling} ${regName(dst)}, ${regName(randomReg(prng, width))}`],
      mnemonic: "cmovcc",
      context,
    });
    return;
  }
  const offset = prng.below(RODATA_SIZE_BYTES - width / 8 + 1);
  const mem = b.memory("rodata", offset, new Set([fullRegOf(dst)]));
  b.emit({
    setup: mem.setup,
    lines: [`cmov${spelling} ${regName(dst)}, ${sizeKeyword(width)} ${mem.text}`],
    mnemonic: "cmovcc",
    context,
  });
}

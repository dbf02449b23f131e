// Bit test and scan families: BT BTS BTR BTC with register or imm8 bit offsets on registers and
// memory, including register offsets far outside the addressed word (negative too: the CPU then
// addresses a different word), and BSF/BSR including zero sources (destination undefined by the
// manual, so that register is masked and reloaded).

import {
  COPY_OFFSET_BYTES,
  RODATA_SIZE_BYTES,
  WINDOW_SIZE_BYTES,
  ZERO_OFFSET_BYTES,
  ZERO_SIZE_BYTES,
} from "../memory-regions.ts";
import {
  fullRegOf,
  hex,
  randomReg,
  randomValue,
  regName,
  type Width,
  widthMask,
} from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";
import { maybeLock, sizeKeyword, windowOffset } from "./operand-text.ts";

const bitTestOps = ["bt", "bts", "btr", "btc"] as const;

export function emitBitTest(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(bitTestOps);
  const width: Width = prng.pick([16, 32] as const);
  const writes = op !== "bt";
  const form = prng.pick(["rr", "ri", "mi", "mr", "mr"] as const);
  const context = { widthBits: width };
  if (form === "rr" || form === "ri") {
    const dst = regName(randomReg(prng, width));
    const offset = form === "rr" ? regName(randomReg(prng, width)) : String(prng.below(256));
    b.emit({ lines: [`${op} ${dst}, ${offset}`], mnemonic: op, context });
    return;
  }
  if (form === "mi") {
    const mem = b.memory("window", windowOffset(prng, width));
    b.emit({
      setup: mem.setup,
      lines: [
        `${writes ? maybeLock(prng) : ""}${op} ${sizeKeyword(width)} ${mem.text}, ${prng.below(256)}`,
      ],
      mnemonic: op,
      context,
      writesWindow: writes,
    });
    return;
  }
  // Register bit offset: the operand's address moves by offset SAR 4 (words) or SAR 5 (dwords).
  // Writes stay in the window (its middle +-256 bits), reads roam rodata (+-4096 bits).
  const offsetReg = randomReg(prng, width);
  const [region, anchor, spanBits] = writes
    ? (["window", WINDOW_SIZE_BYTES / 2, 256] as const)
    : (["rodata", COPY_OFFSET_BYTES, (RODATA_SIZE_BYTES / 2) * 8] as const);
  const bitOffset = prng.between(-spanBits, spanBits - 1);
  const mem = b.memory(region, anchor, new Set([fullRegOf(offsetReg)]));
  const load = `mov ${regName(offsetReg)}, ${hex(bitOffset & widthMask(width))}`;
  b.emit({
    setup: [...mem.setup, load],
    lines: [
      `${writes ? maybeLock(prng) : ""}${op} ${sizeKeyword(width)} ${mem.text}, ${regName(offsetReg)}`,
    ],
    mnemonic: op,
    context,
    writesWindow: writes,
  });
}

export function emitBitScan(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(["bsf", "bsr"] as const);
  const width: Width = prng.pick([16, 32] as const);
  const dst = randomReg(prng, width);
  const zero = prng.chance(0.25);
  let setup: string[];
  let source: string;
  if (prng.chance(0.6)) {
    const src = randomReg(prng, width, new Set([fullRegOf(dst)]));
    let value = randomValue(prng, width);
    if (zero) value = 0;
    else if (value === 0) value = 1 << prng.below(width);
    setup = [`mov ${regName(src)}, ${hex(value)}`];
    source = regName(src);
  } else {
    const bytes = width / 8;
    let offset = zero
      ? ZERO_OFFSET_BYTES + prng.below(ZERO_SIZE_BYTES - bytes + 1)
      : prng.below(ZERO_OFFSET_BYTES - bytes + 1);
    if (!zero) while (b.rodataValue(offset, bytes) === 0) offset++;
    const mem = b.memory("rodata", offset, new Set([fullRegOf(dst)]));
    setup = mem.setup;
    source = `${sizeKeyword(width)} ${mem.text}`;
  }
  b.emit({
    setup,
    lines: [`${op} ${regName(dst)}, ${source}`],
    mnemonic: op,
    context: { widthBits: width },
    undefinedRegBits: zero ? [[fullRegOf(dst), widthMask(width)]] : [],
  });
}

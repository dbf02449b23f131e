// The two data regions a stream program addresses, and memory operands that reach them through
// every i386 addressing form. `window` is writable and dumped after each instruction that may
// write it; `rodata` is read-only (a stray write faults) and its contents are known to the
// generator, so it can choose divisors, bit-scan sources and string-compare data.

import type { Prng } from "./prng.ts";
import { reg32Names, writableRegs } from "./registers.ts";

export const WINDOW_SIZE_BYTES = 64;
export const RODATA_SIZE_BYTES = 1024;
/** rodata[COPY_OFFSET_BYTES ..] repeats rodata[0 ..] with a few bytes changed (for REPE CMPS). */
export const COPY_OFFSET_BYTES = 512;
export const COPY_SIZE_BYTES = 256;
/** rodata[ZERO_OFFSET_BYTES ..] is zero (for BSF/BSR with a zero source, SCAS hits). */
export const ZERO_OFFSET_BYTES = 768;
export const ZERO_SIZE_BYTES = 64;

export type Region = "window" | "rodata";

/** rodata's bytes: random, a near-copy, a zero run, random again. */
export function makeRodata(prng: Prng): Uint8Array {
  const bytes = new Uint8Array(RODATA_SIZE_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = prng.below(256);
  bytes.copyWithin(COPY_OFFSET_BYTES, 0, COPY_SIZE_BYTES);
  for (let i = 0; i < 8; i++)
    bytes[COPY_OFFSET_BYTES + prng.below(COPY_SIZE_BYTES)] ^= 1 + prng.below(255);
  bytes.fill(0, ZERO_OFFSET_BYTES, ZERO_OFFSET_BYTES + ZERO_SIZE_BYTES);
  return bytes;
}

export function makeWindow(prng: Prng): Uint8Array {
  const bytes = new Uint8Array(WINDOW_SIZE_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = prng.below(256);
  return bytes;
}

export function regionSizeBytes(region: Region): number {
  return region === "window" ? WINDOW_SIZE_BYTES : RODATA_SIZE_BYTES;
}

/** `label+n` / `label-n` as NASM source. */
export function labelPlus(label: string, offset: number): string {
  if (offset === 0) return label;
  return offset > 0 ? `${label}+${offset}` : `${label}-${-offset}`;
}

export interface MemoryOperand {
  /** Instructions that load the base/index registers (each a `mov`, flags untouched). */
  setup: string[];
  /** The bracketed operand without size keyword, e.g. `[ebx+esi*4-12]`. */
  text: string;
}

function signedText(value: number): string {
  return value >= 0 ? `+${value}` : `-${-value}`;
}

function randomDisp(prng: Prng): number {
  const roll = prng.below(4);
  if (roll === 0) return 0;
  if (roll === 1) return prng.between(-128, 127);
  return prng.between(-0x10000, 0x10000);
}

/**
 * A memory operand addressing `region + offsetBytes`, in a random addressing form: absolute,
 * [base], [base+disp8/32], [base+index*scale+disp], [index*scale+disp32], sometimes with a
 * ds/es/ss override (flat segments: same address). Registers in `avoid` are left alone.
 */
export function memoryOperand(
  prng: Prng,
  region: Region,
  offsetBytes: number,
  avoid: ReadonlySet<number>,
): MemoryOperand {
  const free = writableRegs.filter((index) => !avoid.has(index));
  const override = prng.chance(0.1) ? `${prng.pick(["ds", "es", "ss"])}:` : "";
  const form = free.length >= 2 ? prng.below(4) : free.length === 1 ? prng.below(2) : 0;
  if (form === 0) {
    return { setup: [], text: `[${override}${labelPlus(region, offsetBytes)}]` };
  }
  const base = prng.pick(free);
  if (form === 1) {
    const disp = randomDisp(prng);
    const text =
      disp === 0
        ? `[${override}${reg32Names[base]}]`
        : `[${override}${reg32Names[base]}${signedText(disp)}]`;
    return {
      setup: [`mov ${reg32Names[base]}, ${labelPlus(region, offsetBytes - disp)}`],
      text,
    };
  }
  const index = prng.pick(free.filter((r) => r !== base));
  const scale = prng.pick([1, 2, 4, 8]);
  const indexValue = prng.between(-8, 8);
  if (form === 2) {
    const disp = randomDisp(prng);
    const dispText = disp === 0 ? "" : signedText(disp);
    return {
      setup: [
        `mov ${reg32Names[base]}, ${labelPlus(region, offsetBytes - indexValue * scale - disp)}`,
        `mov ${reg32Names[index]}, ${indexValue}`,
      ],
      text: `[${override}${reg32Names[base]}+${reg32Names[index]}*${scale}${dispText}]`,
    };
  }
  // Index without base: NASM encodes it with a 32-bit displacement (or as base+index for *2).
  return {
    setup: [`mov ${reg32Names[index]}, ${indexValue}`],
    text: `[${override}${reg32Names[index]}*${scale}+${labelPlus(region, offsetBytes - indexValue * scale)}]`,
  };
}

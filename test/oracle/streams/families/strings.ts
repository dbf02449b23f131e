// String families: LODS STOS MOVS CMPS SCAS in byte/word/dword forms, with and without
// REP/REPE/REPNE, in both directions (CLD/STD in the setup). ESI/EDI/ECX are loaded so that
// every element touched stays inside its region: writes in the window, reads in rodata or the
// window. CMPS/SCAS read rodata, whose known near-copy and zero run make REPE/REPNE stop early.

import {
  COPY_OFFSET_BYTES,
  COPY_SIZE_BYTES,
  type Region,
  RODATA_SIZE_BYTES,
  regionSizeBytes,
  ZERO_OFFSET_BYTES,
  ZERO_SIZE_BYTES,
} from "../memory-regions.ts";
import { hex, randomValue } from "../registers.ts";
import type { StreamBuilder } from "../stream-builder.ts";

const suffixes = ["b", "w", "d"] as const;
const elementBytes = { b: 1, w: 2, d: 4 } as const;

/**
 * Start offset for `elements` elements of `size` bytes stepping up (DF=0) or down (DF=1), so
 * that all of them lie in [0, regionBytes), optionally inside [lo, hi).
 */
function startOffset(
  b: StreamBuilder,
  elements: number,
  size: number,
  down: boolean,
  lo: number,
  hi: number,
): number {
  const span = Math.max(elements, 1) * size;
  const first = b.prng.between(lo, hi - span);
  return down ? first + span - size : first;
}

export function emitString(b: StreamBuilder): void {
  const { prng } = b;
  const op = prng.pick(["lods", "stos", "movs", "cmps", "scas"] as const);
  const suffix = prng.pick(suffixes);
  const size = elementBytes[suffix];
  const down = prng.chance(0.4);
  const compares = op === "cmps" || op === "scas";
  const prefix = compares
    ? prng.pick(["", "repe ", "repne ", "repe ", "repne "])
    : prng.pick(["", "rep ", "rep "]);
  const repeated = prefix !== "";
  const elements = repeated ? prng.between(0, 12) : 1;
  const setup = [down ? "std" : "cld"];
  if (repeated) setup.push(`mov ecx, ${elements}`);
  const place = (register: "esi" | "edi", region: Region, lo = 0, hi = regionSizeBytes(region)) => {
    const offset = startOffset(b, elements, size, down, lo, hi);
    setup.push(`mov ${register}, ${region}+${offset}`);
    return offset;
  };
  const accumulator = size === 1 ? "al" : size === 2 ? "ax" : "eax";
  let writesWindow = false;
  if (op === "lods") {
    place("esi", prng.chance(0.5) ? "window" : "rodata");
  } else if (op === "stos") {
    place("edi", "window");
    writesWindow = true;
  } else if (op === "movs") {
    place("esi", prng.chance(0.5) ? "window" : "rodata");
    place("edi", "window");
    writesWindow = true;
  } else if (op === "cmps") {
    // Source from the original block, destination from its near-copy: mostly equal elements.
    const source = place("esi", "rodata", 0, COPY_SIZE_BYTES);
    if (prng.chance(0.7)) setup.push(`mov edi, rodata+${COPY_OFFSET_BYTES + source}`);
    else place("edi", "rodata");
  } else {
    const inZeros = prng.chance(0.4);
    const offset = inZeros
      ? place("edi", "rodata", ZERO_OFFSET_BYTES - 16, ZERO_OFFSET_BYTES + ZERO_SIZE_BYTES + 16)
      : place("edi", "rodata", 0, RODATA_SIZE_BYTES);
    // Look for a value that is actually there (or zero, near the zero run) half of the time.
    const target = prng.chance(0.5)
      ? b.rodataValue(offset + size * prng.below(Math.max(elements, 1)) * (down ? -1 : 1), size)
      : randomValue(prng, 32);
    setup.push(`mov ${accumulator}, ${hex(target % 2 ** (size * 8))}`);
  }
  const mnemonic = `${op}${suffix}`;
  b.emit({
    setup,
    lines: [`${prefix}${mnemonic}`],
    mnemonic,
    context: { widthBits: size * 8, repeatCount: repeated ? elements : undefined },
    writesWindow,
  });
}

// Small shared pieces of NASM operand text for the instruction families.

import { WINDOW_SIZE_BYTES } from "../memory-regions.ts";
import type { Prng } from "../prng.ts";
import type { Width } from "../registers.ts";

export function sizeKeyword(width: Width): string {
  return width === 8 ? "byte" : width === 16 ? "word" : "dword";
}

export function randomWidth(prng: Prng): Width {
  return prng.pick([8, 16, 32] as const);
}

/** A random offset in the window where an operand of `width` bits fits. */
export function windowOffset(prng: Prng, width: Width): number {
  return prng.below(WINDOW_SIZE_BYTES - width / 8 + 1);
}

/** `lock ` now and then, for a read-modify-write of memory (the only place LOCK is valid). */
export function maybeLock(prng: Prng): string {
  return prng.chance(0.25) ? "lock " : "";
}

// Instruction prefixes written in the source (rep, lock, segment names, o16/o32, a16/a32):
// checked for conflicts the way NASM checks them, and emitted in NASM's fixed order
// (lock/rep, segment, 0x66, 0x67) whatever order they were written in.

import { prefixBytes } from "../../../vm/cpu/isa.ts";
import { isSegmentRegister } from "../registers.ts";

export interface PrefixSlots {
  /** F0, F2 or F3. */
  readonly repeatOrLockByte?: number;
  /** The spelling it was written with (for messages). */
  readonly repeatOrLockName?: string;
  readonly segment?: string;
  /** An explicit o16/o32. */
  readonly operandSizeBits?: 16 | 32;
  /** An explicit a16/a32. */
  readonly addressSizeBits?: 16 | 32;
}

export type PrefixResult = { ok: true; slots: PrefixSlots } | { ok: false; message: string };

const repeatOrLockNames: ReadonlySet<string> = new Set([
  "lock",
  "rep",
  "repe",
  "repz",
  "repne",
  "repnz",
]);

export function parsePrefixes(written: readonly string[]): PrefixResult {
  let repeatOrLockByte: number | undefined;
  let repeatOrLockName: string | undefined;
  let segment: string | undefined;
  let operandSizeBits: 16 | 32 | undefined;
  let addressSizeBits: 16 | 32 | undefined;
  const conflict: PrefixResult = { ok: false, message: "instruction has conflicting prefixes" };
  for (const name of written.map((p) => p.toLowerCase())) {
    if (repeatOrLockNames.has(name)) {
      const byte = prefixBytes[name]!;
      if (repeatOrLockByte !== undefined && repeatOrLockByte !== byte) return conflict;
      repeatOrLockByte = byte;
      repeatOrLockName = name;
    } else if (isSegmentRegister(name)) {
      if (segment !== undefined && segment !== name) return conflict;
      segment = name;
    } else if (name === "o16" || name === "o32") {
      const bits = name === "o16" ? 16 : 32;
      if (operandSizeBits !== undefined && operandSizeBits !== bits) return conflict;
      operandSizeBits = bits;
    } else if (name === "a16" || name === "a32") {
      const bits = name === "a16" ? 16 : 32;
      if (addressSizeBits !== undefined && addressSizeBits !== bits) return conflict;
      addressSizeBits = bits;
    } else {
      return { ok: false, message: `prefix '${name}' is not supported` };
    }
  }
  return {
    ok: true,
    slots: { repeatOrLockByte, repeatOrLockName, segment, operandSizeBits, addressSizeBits },
  };
}

/** Segment override byte by register name. */
export function segmentPrefixByte(segment: string): number {
  return prefixBytes[segment.toLowerCase()]!;
}

export const operandSizePrefixByte = 0x66;
export const repnePrefixByte = 0xf2;
export const addressSizePrefixByte = 0x67;

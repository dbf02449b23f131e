// The bytes of data directives: integers little-endian in the unit size (with NASM's
// "exceeds bounds" warning when a value fits neither signed nor unsigned), strings as their
// bytes padded with zeros to a whole number of units, floats in the format of the unit size
// (float-constants.ts: 8-bit for db up to 128-bit for do).

import { dataFloatFormat, type FloatResult, floatConstant } from "../float-constants.ts";

const unitNames: Readonly<Record<number, string>> = {
  1: "byte",
  2: "word",
  4: "dword",
  8: "qword",
};

export function unitName(unitBytes: number): string {
  return unitNames[unitBytes] ?? `${unitBytes}-byte`;
}

/** Writes `value` in `unitBytes` little-endian bytes at `out[offset]`. */
export function writeInteger(
  out: Uint8Array,
  offset: number,
  value: bigint,
  unitBytes: number,
): void {
  let rest = BigInt.asUintN(unitBytes * 8, value);
  for (let i = 0; i < unitBytes; i++) {
    out[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** True when `value` fits the unit neither as signed nor as unsigned (NASM warns). */
export function exceedsBounds(value: bigint, unitBytes: number): boolean {
  if (unitBytes >= 8) return false;
  const bits = BigInt(unitBytes * 8);
  return value < -(1n << (bits - 1n)) || value > (1n << bits) - 1n;
}

/** A float item in `unitBytes` (1..16), in the format NASM gives that size, or its error. */
export function encodeFloat(text: string, negative: boolean, unitBytes: number): FloatResult {
  const format = dataFloatFormat(unitBytes);
  if (!format)
    return { ok: false, error: `no ${unitBytes * 8}-bit floating-point format supported` };
  return floatConstant(text, negative, format);
}

/** Bytes a string occupies in a data directive: its length rounded up to whole units. */
export function paddedStringBytes(lengthBytes: number, unitBytes: number): number {
  return Math.ceil(lengthBytes / unitBytes) * unitBytes;
}

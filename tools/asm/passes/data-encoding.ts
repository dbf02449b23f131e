// The bytes of data directives: integers little-endian in the unit size (with NASM's
// "exceeds bounds" warning when a value fits neither signed nor unsigned), strings as their
// bytes padded with zeros to a whole number of units, floats as IEEE single (dd) or double
// (dq). Half precision (dw 1.5) and 80-bit (dt) floats are not supported.

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

/** A float in `unitBytes` (4 or 8), or undefined if that width is not supported. */
export function encodeFloat(value: number, unitBytes: number): Uint8Array | undefined {
  const bytes = new Uint8Array(unitBytes);
  const view = new DataView(bytes.buffer);
  if (unitBytes === 4) view.setFloat32(0, value, true);
  else if (unitBytes === 8) view.setFloat64(0, value, true);
  else return undefined;
  return bytes;
}

/** Bytes a string occupies in a data directive: its length rounded up to whole units. */
export function paddedStringBytes(lengthBytes: number, unitBytes: number): number {
  return Math.ceil(lengthBytes / unitBytes) * unitBytes;
}

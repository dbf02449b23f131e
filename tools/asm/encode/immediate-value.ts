// Integer width arithmetic for immediates and displacements: truncation to a field width the
// way NASM does it (two's complement, silently, where NASM only warns), and the range test
// behind its "signed byte" forms.

export type FieldSizeBits = 8 | 16 | 32;

/** `value` as a signed integer of `sizeBits` bits (wrapping like the hardware field would). */
export function toSigned(value: number, sizeBits: FieldSizeBits): number {
  const shift = 32 - sizeBits;
  return ((value | 0) << shift) >> shift;
}

/** True when `value`, taken at `sizeBits`, survives sign-extension from one byte. */
export function fitsSignedByte(value: number, sizeBits: FieldSizeBits): boolean {
  const signed = toSigned(value, sizeBits);
  return signed >= -128 && signed <= 127;
}

/** Appends `value` little-endian in `sizeBytes` bytes. */
export function pushLittleEndian(out: number[], value: number, sizeBytes: number): void {
  const unsigned = value >>> 0;
  for (let i = 0; i < sizeBytes; i++) out.push((unsigned >>> (8 * i)) & 0xff);
}

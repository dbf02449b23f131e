// Little-endian byte writing and checked reading for what migration puts on the wire: a
// growable writer, and a reader that names the field it was reading when the bytes run out
// or a value is out of its range. A malformed input becomes one MigrationFormatError line,
// never a host exception; the callers drop and count it.

export class MigrationFormatError extends Error {
  override name = "MigrationFormatError";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + count) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(value: number): this {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, value >>> 0, true);
    this.length += 4;
    return this;
  }

  i32(value: number): this {
    this.reserve(4);
    this.view.setInt32(this.length, value | 0, true);
    this.length += 4;
    return this;
  }

  /** A non-negative integer up to 2^53 (virtual ns, counts), as a float64. */
  f64(value: number): this {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** A u32 length, then the bytes. */
  block(bytes: Uint8Array): this {
    return this.u32(bytes.length).raw(bytes);
  }

  text(value: string): this {
    return this.block(encoder.encode(value));
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export class ByteReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number, field: string): void {
    if (this.offset + count > this.bytes.length) {
      throw new MigrationFormatError(
        `${this.what}: ${field} needs ${count} byte(s) at offset ${this.offset}, only ${this.bytes.length - this.offset} left`,
      );
    }
  }

  fail(field: string, why: string): never {
    throw new MigrationFormatError(`${this.what}: ${field}: ${why}`);
  }

  u8(field: string, max = 0xff): number {
    this.need(1, field);
    const value = this.view.getUint8(this.offset);
    this.offset += 1;
    if (value > max) this.fail(field, `${value} is above ${max}`);
    return value;
  }

  u32(field: string, min = 0, max = 0xffff_ffff): number {
    this.need(4, field);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    if (value < min || value > max) this.fail(field, `${value} is outside ${min}..${max}`);
    return value;
  }

  i32(field: string, min = -0x8000_0000, max = 0x7fff_ffff): number {
    this.need(4, field);
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    if (value < min || value > max) this.fail(field, `${value} is outside ${min}..${max}`);
    return value;
  }

  /** A whole number 0..max stored as a float64. */
  f64(field: string, max = Number.MAX_SAFE_INTEGER): number {
    this.need(8, field);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    if (!Number.isSafeInteger(value) || value < 0 || value > max) {
      this.fail(field, `${value} is not a whole number 0..${max}`);
    }
    return value;
  }

  raw(count: number, field: string): Uint8Array {
    this.need(count, field);
    const bytes = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return bytes;
  }

  block(field: string, bytesMax: number): Uint8Array {
    const length = this.u32(`${field} length`, 0, bytesMax);
    return this.raw(length, field);
  }

  text(field: string, bytesMax: number): string {
    const bytes = this.block(field, bytesMax);
    try {
      return decoder.decode(bytes);
    } catch {
      return this.fail(field, "not UTF-8");
    }
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** The input must end here: trailing bytes are a malformed input too. */
  end(): void {
    if (this.remaining !== 0) this.fail("end", `${this.remaining} unexpected trailing byte(s)`);
  }
}

// The bytes assembled into one section during a pass: a growable byte array with a write
// position. Nobits sections only count their size.

const initialBytes = 256;

export class SectionBuffer {
  private bytes: Uint8Array;
  /** Bytes assembled so far (the current offset, `$ - $$`). */
  sizeBytes = 0;

  constructor(readonly nobits: boolean) {
    this.bytes = new Uint8Array(nobits ? 0 : initialBytes);
  }

  private reserve(extraBytes: number): void {
    const needed = this.sizeBytes + extraBytes;
    if (this.nobits || needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.sizeBytes));
    this.bytes = grown;
  }

  write(data: Uint8Array): void {
    this.reserve(data.length);
    if (!this.nobits) this.bytes.set(data, this.sizeBytes);
    this.sizeBytes += data.length;
  }

  /** Appends `countBytes` copies of `value` (zeros for reserved space). */
  fill(value: number, countBytes: number): void {
    this.reserve(countBytes);
    if (!this.nobits) this.bytes.fill(value, this.sizeBytes, this.sizeBytes + countBytes);
    this.sizeBytes += countBytes;
  }

  /** Room for `countBytes` at the current offset, advanced past; write into the view. */
  claim(countBytes: number): { view: Uint8Array; offset: number } {
    this.reserve(countBytes);
    const offset = this.sizeBytes;
    this.sizeBytes += countBytes;
    if (!this.nobits) this.bytes.fill(0, offset, offset + countBytes);
    return { view: this.bytes, offset };
  }

  /** The assembled bytes (empty for nobits). */
  contents(): Uint8Array {
    return this.nobits ? new Uint8Array(0) : this.bytes.slice(0, this.sizeBytes);
  }
}

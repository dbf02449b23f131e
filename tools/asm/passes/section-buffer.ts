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

  /** Appends `times` copies of the `lengthBytes` bytes at `startBytes`. */
  repeat(startBytes: number, lengthBytes: number, times: number): void {
    const totalBytes = lengthBytes * times;
    this.reserve(totalBytes);
    if (!this.nobits) {
      // Doubling copies: about log2(times) calls to copyWithin instead of `times`.
      const end = this.sizeBytes;
      let copiedBytes = 0;
      while (copiedBytes < totalBytes) {
        const chunkBytes = Math.min(totalBytes - copiedBytes, lengthBytes + copiedBytes);
        this.bytes.copyWithin(end + copiedBytes, startBytes, startBytes + chunkBytes);
        copiedBytes += chunkBytes;
      }
    }
    this.sizeBytes += totalBytes;
  }

  /** Room for `countBytes` at the current offset, advanced past; write into the view. */
  claim(countBytes: number): { view: Uint8Array; offset: number } {
    this.reserve(countBytes);
    const offset = this.sizeBytes;
    this.sizeBytes += countBytes;
    if (!this.nobits) this.bytes.fill(0, offset, offset + countBytes);
    return { view: this.bytes, offset };
  }

  /** The bytes written so far, without a copy (valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.sizeBytes);
  }

  /** The assembled bytes (empty for nobits). */
  contents(): Uint8Array {
    return this.nobits ? new Uint8Array(0) : this.bytes.slice(0, this.sizeBytes);
  }
}

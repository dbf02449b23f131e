// A node's guest physical memory: one byte array with little-endian 8/16/32-bit access and
// bulk copies. Everything outside the CPU's own store path writes through these methods, so
// that a cache built from memory contents (the CPU's decoded instructions) hears about it:
// such a cache marks a page in `watchedPages`, and the first write to that page clears the
// mark and calls `onWatchedWrite(page)`. Addresses outside memory read as 0 and ignore
// writes (no host exception); the MMU never translates to them. Left out: memory-mapped
// devices, ROM, DMA.

export const pageSizeBytes = 4096;
export const pageShift = 12;
export const defaultPhysicalMemoryBytes = 64 * 1024 * 1024;

export interface PhysicalMemoryState {
  sizeBytes: number;
  /** The whole contents; a copy. */
  bytes: Uint8Array;
}

export class PhysicalMemory {
  readonly sizeBytes: number;
  /** Raw contents. Only the CPU's fast store path may write here directly. */
  readonly bytes: Uint8Array;
  /** The same bytes for unaligned little-endian 16/32-bit access. */
  readonly view: DataView;
  /** One flag per page: 1 when a cache depends on the page's contents. */
  readonly watchedPages: Uint8Array;
  /** Called after a write touched a watched page (the mark is already cleared). */
  onWatchedWrite: ((page: number) => void) | null = null;

  constructor(sizeBytes: number = defaultPhysicalMemoryBytes) {
    if (!Number.isInteger(sizeBytes) || sizeBytes <= 0 || sizeBytes % pageSizeBytes !== 0) {
      throw new RangeError(`sizeBytes must be a positive multiple of 4096, got ${sizeBytes}`);
    }
    if (sizeBytes > 0x8000_0000) {
      throw new RangeError(`sizeBytes must be at most 2 GiB, got ${sizeBytes}`);
    }
    this.sizeBytes = sizeBytes;
    // A SharedArrayBuffer although no other thread sees it: V8 counts a plain ArrayBuffer's
    // bytes as the isolate's external memory, and 64 MiB of it starts a full garbage
    // collection at once, a good part of `sterna exec`'s start-up; a shared one it does not
    // count. Plain loads and stores on it are the same as on an ArrayBuffer.
    this.bytes = new Uint8Array(new SharedArrayBuffer(sizeBytes));
    this.view = new DataView(this.bytes.buffer);
    this.watchedPages = new Uint8Array(sizeBytes >>> pageShift);
  }

  /** True when [address, address + lengthBytes) lies inside memory. */
  contains(address: number, lengthBytes: number): boolean {
    return address >= 0 && lengthBytes >= 0 && address + lengthBytes <= this.sizeBytes;
  }

  read8(address: number): number {
    return this.contains(address, 1) ? this.bytes[address]! : 0;
  }

  read16(address: number): number {
    return this.contains(address, 2) ? this.view.getUint16(address, true) : 0;
  }

  /** Unsigned 32-bit value. */
  read32(address: number): number {
    return this.contains(address, 4) ? this.view.getUint32(address, true) : 0;
  }

  write8(address: number, value: number): void {
    if (!this.contains(address, 1)) return;
    this.bytes[address] = value;
    this.noteWrite(address, 1);
  }

  write16(address: number, value: number): void {
    if (!this.contains(address, 2)) return;
    this.view.setUint16(address, value & 0xffff, true);
    this.noteWrite(address, 2);
  }

  write32(address: number, value: number): void {
    if (!this.contains(address, 4)) return;
    this.view.setUint32(address, value >>> 0, true);
    this.noteWrite(address, 4);
  }

  /** A copy of lengthBytes bytes; the part outside memory reads as 0. */
  readBytes(address: number, lengthBytes: number): Uint8Array {
    const out = new Uint8Array(lengthBytes);
    const start = Math.max(0, address);
    const end = Math.min(this.sizeBytes, address + lengthBytes);
    if (end > start) out.set(this.bytes.subarray(start, end), start - address);
    return out;
  }

  /** Writes all of `data` at address; the part outside memory is dropped. */
  writeBytes(address: number, data: Uint8Array): void {
    const start = Math.max(0, address);
    const end = Math.min(this.sizeBytes, address + data.length);
    if (end <= start) return;
    this.bytes.set(data.subarray(start - address, end - address), start);
    this.noteWrite(start, end - start);
  }

  /** Sets lengthBytes bytes to `value` (e.g. zeroing a fresh frame). */
  fill(address: number, lengthBytes: number, value: number): void {
    const start = Math.max(0, address);
    const end = Math.min(this.sizeBytes, address + lengthBytes);
    if (end <= start) return;
    this.bytes.fill(value, start, end);
    this.noteWrite(start, end - start);
  }

  getState(): PhysicalMemoryState {
    return { sizeBytes: this.sizeBytes, bytes: this.bytes.slice() };
  }

  setState(state: PhysicalMemoryState): void {
    if (state.sizeBytes !== this.sizeBytes || state.bytes.length !== this.sizeBytes) {
      throw new RangeError(
        `memory state is ${state.bytes.length} bytes, this memory has ${this.sizeBytes}`,
      );
    }
    this.bytes.set(state.bytes);
    this.noteWrite(0, this.sizeBytes);
  }

  /**
   * Clears the watch marks of the pages the bytes touch and calls onWatchedWrite for each
   * page that had one, as a write there does.
   */
  noteWrite(address: number, lengthBytes: number): void {
    const lastPage = (address + lengthBytes - 1) >>> pageShift;
    for (let page = address >>> pageShift; page <= lastPage; page++) {
      if (this.watchedPages[page] !== 0) {
        this.watchedPages[page] = 0;
        this.onWatchedWrite?.(page);
      }
    }
  }
}

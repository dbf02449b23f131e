// The console: two byte streams out of the machine (the terminal's "out" and "err" lines),
// each buffered until the host drains it. It models output only: guest input comes through
// the kernel's read syscall, not through this device. Each buffer holds at most
// `consoleBufferBytesMax`; a write that does not fit is cut short and the count returned.

import type { DeviceDescriptor } from "../machine/device-descriptor.ts";

export const consoleDescriptor: DeviceDescriptor = {
  name: "console",
  irq: -1,
  registers: [
    { name: "out-data", widthBits: 8, access: "write" },
    { name: "err-data", widthBits: 8, access: "write" },
  ],
};

export const enum ConsoleChannel {
  Out = 0,
  Err = 1,
}

export const consoleBufferBytesMax = 1 << 20;

export interface ConsoleState {
  out: Uint8Array;
  err: Uint8Array;
}

/** One channel's bytes, kept in a growable array so appends are amortised O(1). */
class ByteQueue {
  private bytes = new Uint8Array(256);
  private lengthBytes = 0;

  get length(): number {
    return this.lengthBytes;
  }

  append(source: Uint8Array): number {
    const acceptedBytes = Math.min(source.length, consoleBufferBytesMax - this.lengthBytes);
    const neededBytes = this.lengthBytes + acceptedBytes;
    if (neededBytes > this.bytes.length) {
      let capacityBytes = this.bytes.length;
      while (capacityBytes < neededBytes) capacityBytes *= 2;
      const grown = new Uint8Array(capacityBytes);
      grown.set(this.bytes.subarray(0, this.lengthBytes));
      this.bytes = grown;
    }
    this.bytes.set(source.subarray(0, acceptedBytes), this.lengthBytes);
    this.lengthBytes = neededBytes;
    return acceptedBytes;
  }

  take(): Uint8Array {
    const taken = this.bytes.slice(0, this.lengthBytes);
    this.lengthBytes = 0;
    return taken;
  }

  peek(): Uint8Array {
    return this.bytes.slice(0, this.lengthBytes);
  }
}

export class Console {
  readonly descriptor = consoleDescriptor;
  private readonly channels = [new ByteQueue(), new ByteQueue()];

  /** Appends bytes to a channel; returns how many fitted in its buffer. */
  write(channel: ConsoleChannel, bytes: Uint8Array): number {
    return this.channels[channel]!.append(bytes);
  }

  pendingBytes(channel: ConsoleChannel): number {
    return this.channels[channel]!.length;
  }

  /** Removes and returns everything buffered on a channel. */
  drain(channel: ConsoleChannel): Uint8Array {
    return this.channels[channel]!.take();
  }

  getState(): ConsoleState {
    return { out: this.channels[0]!.peek(), err: this.channels[1]!.peek() };
  }

  setState(state: ConsoleState): void {
    this.channels[0]!.take();
    this.channels[1]!.take();
    this.channels[0]!.append(state.out);
    this.channels[1]!.append(state.err);
  }
}

// Synchronous host stdin/stdout/stderr for commands that run a guest: the emulator loop is
// synchronous, so guest output is written as it appears and input is read when asked for.
// A closed pipe (EPIPE) silently drops further output; EAGAIN on a non-blocking descriptor
// waits a millisecond and retries.

import { readSync, writeSync } from "node:fs";

const waitCell = new Int32Array(new SharedArrayBuffer(4));

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function pause(): void {
  Atomics.wait(waitCell, 0, 0, 1);
}

/** Writers that stay silent once their descriptor's reader has gone away. */
export class HostOutput {
  private closed = false;

  constructor(private readonly fd: number) {}

  write(bytes: Uint8Array): void {
    let offsetBytes = 0;
    while (!this.closed && offsetBytes < bytes.length) {
      try {
        offsetBytes += writeSync(this.fd, bytes, offsetBytes, bytes.length - offsetBytes);
      } catch (error) {
        const code = errorCode(error);
        if (code === "EAGAIN") pause();
        else if (code === "EPIPE") this.closed = true;
        else throw error;
      }
    }
  }
}

/** Reads up to `maxBytes` from the host's stdin; empty at end of input. */
export function readHostStdin(maxBytes: number): Uint8Array {
  const buffer = new Uint8Array(maxBytes);
  for (;;) {
    try {
      return buffer.subarray(0, readSync(0, buffer, 0, maxBytes, null));
    } catch (error) {
      const code = errorCode(error);
      if (code === "EAGAIN") pause();
      else if (code === "EOF" || code === "EBADF" || code === "EINVAL")
        return buffer.subarray(0, 0);
      else throw error;
    }
  }
}

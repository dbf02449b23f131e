// Synchronous host stdin/stdout/stderr for commands that run a guest: the emulator loop is
// synchronous, so guest output is written as it appears and input is read when asked for.
// A host failure becomes the guest's error as on Linux: each write returns the bytes taken or
// the -errno it failed with (-ENOSPC on a full disk, -EPIPE once the reader has gone, then
// for every later write), and a read returns the bytes or its -errno (-EISDIR when stdin is
// a directory). EAGAIN on a non-blocking descriptor waits a millisecond and retries.

import { readSync, writeSync } from "node:fs";
import { constants } from "node:os";

const waitCell = new Int32Array(new SharedArrayBuffer(4));
const eioErrno = 5;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The host error as a Linux -errno (-EIO when the host names none). */
function negativeErrno(error: unknown): number {
  const code = errorCode(error);
  const errno = code ? constants.errno[code as keyof typeof constants.errno] : undefined;
  return -(errno ?? eioErrno);
}

function pause(): void {
  Atomics.wait(waitCell, 0, 0, 1);
}

/** A host descriptor written synchronously; it remembers its first failure. */
export class HostOutput {
  private closedErrno = 0;
  /** The first write failure (its host code, e.g. "ENOSPC"), for sterna's own report. */
  failureCode: string | undefined;

  constructor(private readonly fd: number) {}

  /** Writes all of `bytes`; returns how many were written, or -errno if none could be. */
  write(bytes: Uint8Array): number {
    let offsetBytes = 0;
    while (offsetBytes < bytes.length) {
      if (this.closedErrno !== 0) return offsetBytes > 0 ? offsetBytes : -this.closedErrno;
      try {
        offsetBytes += writeSync(this.fd, bytes, offsetBytes, bytes.length - offsetBytes);
      } catch (error) {
        if (errorCode(error) === "EAGAIN") {
          pause();
          continue;
        }
        this.failureCode ??= errorCode(error) ?? "EIO";
        const errno = negativeErrno(error);
        // A reader that has gone stays gone; a full disk may have room on the next write.
        if (errorCode(error) === "EPIPE") this.closedErrno = -errno;
        return offsetBytes > 0 ? offsetBytes : errno;
      }
    }
    return offsetBytes;
  }
}

/** Reads up to `maxBytes` from the host's stdin: empty at end of input, or a -errno. */
export function readHostStdin(maxBytes: number): Uint8Array | number {
  const buffer = new Uint8Array(maxBytes);
  for (;;) {
    try {
      return buffer.subarray(0, readSync(0, buffer, 0, maxBytes, null));
    } catch (error) {
      const code = errorCode(error);
      if (code === "EAGAIN") pause();
      else if (code === "EOF") return buffer.subarray(0, 0);
      else return negativeErrno(error);
    }
  }
}

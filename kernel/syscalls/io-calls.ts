// read(0, buf, len) from the host's stdin and write(1|2, buf, len) to the console. As on
// Linux, a range reaching outside user space is -EFAULT before anything happens, a read
// transfers at most what is available (0 at end of input), and a write that faults part way
// returns the bytes already written. Each call moves at most `transferChunkBytesMax` at once.
// A host failure is the guest's, as on Linux: read gets the host's -errno (-EISDIR for a
// directory on stdin), write gets -ENOSPC or -EIO, and a write to a closed pipe gets -EPIPE
// with SIGPIPE, which ends the process with 141.

import { ConsoleChannel } from "../../vm/devices/console.ts";
import { Errno } from "../errno.ts";
import { brokenPipeReason } from "../faults/end-reasons.ts";
import { Signal } from "../faults/fault-report.ts";
import { canAccessUser, copyFromUser, copyToUser, isUserRange } from "../memory/user-copy.ts";
import type { SyscallHandler } from "./syscall-handler.ts";

export const transferChunkBytesMax = 64 * 1024;

export const readCall: SyscallHandler = (kernel, process, fd, buffer, lengthBytes) => {
  if (fd !== 0) return -Errno.EBADF;
  if (!isUserRange(buffer, lengthBytes)) return -Errno.EFAULT;
  const wantedBytes = Math.min(lengthBytes, transferChunkBytesMax);
  if (wantedBytes === 0) return 0;
  // Check the buffer before taking input, so a bad pointer does not swallow it.
  if (!canAccessUser(kernel.machine, process, buffer, wantedBytes, true)) return -Errno.EFAULT;
  const input = kernel.readInput(wantedBytes);
  if (typeof input === "number") return input;
  if (!copyToUser(kernel.machine, process, buffer, input)) return -Errno.EFAULT;
  return input.length;
};

export const writeCall: SyscallHandler = (kernel, process, fd, buffer, lengthBytes) => {
  if (fd !== 1 && fd !== 2) return -Errno.EBADF;
  const channel = fd === 1 ? ConsoleChannel.Out : ConsoleChannel.Err;
  if (!isUserRange(buffer, lengthBytes)) return -Errno.EFAULT;
  let writtenBytes = 0;
  while (writtenBytes < lengthBytes) {
    const chunkBytes = Math.min(lengthBytes - writtenBytes, transferChunkBytesMax);
    const bytes = copyFromUser(kernel.machine, process, buffer + writtenBytes, chunkBytes);
    if (!bytes) return writtenBytes > 0 ? writtenBytes : -Errno.EFAULT;
    const acceptedBytes = kernel.writeConsole(channel, bytes, process.pid);
    if (acceptedBytes < 0) {
      // Linux sends SIGPIPE with EPIPE; sterna has no handlers, so it ends the process (141).
      if (acceptedBytes === -Errno.EPIPE) {
        kernel.killProcess(process, Signal.SIGPIPE, undefined, brokenPipeReason());
      }
      return writtenBytes > 0 ? writtenBytes : acceptedBytes;
    }
    writtenBytes += acceptedBytes;
    if (acceptedBytes < chunkBytes) break;
  }
  return writtenBytes;
};

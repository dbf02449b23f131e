// The %include reader for a host file system (`sterna asm`): a regular file's text, read
// only up to a little past the preprocessor's size limit, so `%include "/dev/zero"` or a
// huge file ends in a located error and not in an exhausted heap. Anything else (a
// directory, a device, a FIFO that might block) reads as missing.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { includeFileBytesMax } from "./preprocessor/preprocessor.ts";

export function readIncludeFile(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    if (!fstatSync(fd).isFile()) return undefined;
    // One byte past the limit is enough for the preprocessor to refuse it.
    const buffer = Buffer.alloc(includeFileBytesMax + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const read = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (read === 0) break;
      filled += read;
    }
    return buffer.toString("utf8", 0, filled);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

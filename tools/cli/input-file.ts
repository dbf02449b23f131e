// Reading a command's input files, bounded: a file larger than its limit is refused before it
// is read, and so is anything but a regular file (a device such as /dev/zero, a pipe, a
// socket: opened without blocking, refused at once), so no input can make sterna grow
// without bound or wait for a writer. A file whose size the host does not know (/proc) is
// read up to limit + 1 bytes. Gives the one-line reason a file could not be read or
// written (`no such file or directory`, `is a directory`, `permission denied`), the
// assembler's %include reader, and commander's collector for repeatable options.

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

const mebibyte = 1024 * 1024;

/** A program image for `exec` and `boot`: no larger than a machine's default memory. */
export const programFileBytesMax = 64 * mebibyte;
/** An assembly source or %include file. */
export const sourceFileBytesMax = 8 * mebibyte;
/** A file given to `disasm` (its code is bounded separately, see disasm-command.ts). */
export const disasmFileBytesMax = 64 * mebibyte;

export type InputFile = { ok: true; bytes: Buffer } | { ok: false; message: string };

export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  if (code === "ENOTDIR") return "a component of the path is not a directory";
  if (code === "ENOSPC") return "no space left on device";
  if (code === "ELOOP") return "too many levels of symbolic links";
  if (code === "ENAMETOOLONG") return "file name too long";
  if (code === "EROFS") return "read-only file system";
  return (error as Error).message;
}

function formatBytes(bytes: number): string {
  return bytes % mebibyte === 0 ? `${bytes / mebibyte} MiB` : `${bytes} bytes`;
}

function tooLarge(path: string, bytesMax: number): InputFile {
  return { ok: false, message: `${path}: larger than the ${formatBytes(bytesMax)} limit` };
}

/** Reads at most bytesMax + 1 bytes from fd, in chunks, for files without a known size. */
function readBounded(fd: number, bytesMax: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let totalBytes = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(mebibyte, bytesMax + 1 - totalBytes));
    const readBytes = readSync(fd, chunk, 0, chunk.length, null);
    if (readBytes === 0) return Buffer.concat(chunks, totalBytes);
    chunks.push(chunk.subarray(0, readBytes));
    totalBytes += readBytes;
    if (totalBytes > bytesMax) return undefined;
  }
}

/** The line for an input path given as "" (it would read as `: no such file or directory`). */
export const emptyInputPathMessage = "an input file name is empty";

/** The file's bytes, or `PATH: reason` for the command's one-line error. */
export function readInputFile(path: string, bytesMax: number): InputFile {
  if (path === "") return { ok: false, message: emptyInputPathMessage };
  let fd: number | undefined;
  try {
    // Non-blocking, so that opening a FIFO with no writer cannot hang.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { ok: false, message: `${path}: is a directory` };
    if (!stats.isFile()) {
      return { ok: false, message: `${path}: not a regular file (a device, pipe or socket)` };
    }
    if (stats.size > bytesMax) return tooLarge(path, bytesMax);
    const bytes = readBounded(fd, bytesMax);
    return bytes ? { ok: true, bytes } : tooLarge(path, bytesMax);
  } catch (error) {
    return { ok: false, message: `${path}: ${describeFileError(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The assembler's `readFile` hook: the file's text, or undefined when it cannot be read. */
export function readTextFile(path: string): string | undefined {
  const input = readInputFile(path, sourceFileBytesMax);
  return input.ok ? input.bytes.toString("utf8") : undefined;
}

/** commander's argument parser for an option given several times (`-I a -I b`). */
export function collectRepeated(value: string, previous: string[]): string[] {
  return [...previous, value];
}

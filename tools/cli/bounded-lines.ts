// The lines of a file read as a stream, each at most `lineBytesMax` bytes: a longer line is an
// error naming its number, so a hostile file (a gigabyte with no newline) cannot grow one
// string past what the host holds (V8 refuses strings over about 512 MiB, as an internal
// error). Lines end at "\n" or "\r\n"; a last line without an end counts too.

import { createReadStream } from "node:fs";

const newlineByte = 0x0a;
const carriageReturnByte = 0x0d;

export class LineTooLongError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly lineBytesMax: number,
  ) {
    super(`line ${lineNumber}: longer than ${lineBytesMax} bytes`);
  }
}

function endsWithCarriageReturn(parts: readonly Buffer[]): boolean {
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index]!;
    if (part.length > 0) return part[part.length - 1] === carriageReturnByte;
  }
  return false;
}

/** The line held in `parts` without its "\r", checked against the limit. */
function takeLine(parts: Buffer[], lengthBytes: number, lineNumber: number, max: number): string {
  const contentBytes = lengthBytes - (endsWithCarriageReturn(parts) ? 1 : 0);
  if (contentBytes > max) throw new LineTooLongError(lineNumber, max);
  return Buffer.concat(parts, contentBytes).toString("utf8");
}

/** Yields each line of `path` (without its end); throws LineTooLongError for a longer one. */
export async function* readBoundedLines(
  path: string,
  lineBytesMax: number,
): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let lengthBytes = 0;
  let lineNumber = 1;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(newlineByte, start);
      const end = newline < 0 ? chunk.length : newline;
      lengthBytes += end - start;
      // One byte of slack for the "\r" of a "\r\n" ending.
      if (lengthBytes > lineBytesMax + 1) throw new LineTooLongError(lineNumber, lineBytesMax);
      parts.push(chunk.subarray(start, end));
      if (newline < 0) break;
      yield takeLine(parts, lengthBytes, lineNumber, lineBytesMax);
      parts = [];
      lengthBytes = 0;
      lineNumber++;
      start = newline + 1;
    }
  }
  if (lengthBytes > 0) yield takeLine(parts, lengthBytes, lineNumber, lineBytesMax);
}

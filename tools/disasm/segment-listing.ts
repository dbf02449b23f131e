// Disassembles one stretch of an image at its address: a flat binary, or an executable ELF
// segment whose first bytes may be the ELF headers (shown as `db` data, not decoded). When
// the entry point lies inside, decoding restarts there, so padding before it cannot throw
// the first instructions out of step.

import { type DisassemblyLine, dataLine } from "./data-line.ts";
import { disassemble } from "./disassemble.ts";

export interface CodeSegment {
  /** A name for headers and reassembly sections ("segment0", "flat"). */
  readonly name: string;
  readonly address: number;
  readonly bytes: Uint8Array;
  /** Leading bytes that are data, not code (the ELF header and program headers). */
  readonly dataPrefixBytes: number;
  /** The program's entry address, if known. */
  readonly entryAddress?: number;
}

const dataBytesPerLine = 8;

export function disassembleSegment(segment: CodeSegment): DisassemblyLine[] {
  const lines: DisassemblyLine[] = [];
  for (let offset = 0; offset < segment.dataPrefixBytes; offset += dataBytesPerLine) {
    const end = Math.min(offset + dataBytesPerLine, segment.dataPrefixBytes);
    const comment = offset === 0 ? "ELF header and program headers" : undefined;
    lines.push(
      dataLine((segment.address + offset) >>> 0, segment.bytes.subarray(offset, end), comment),
    );
  }
  const entryOffset =
    segment.entryAddress === undefined ? -1 : segment.entryAddress - segment.address;
  const splits = [segment.dataPrefixBytes];
  if (entryOffset > segment.dataPrefixBytes && entryOffset < segment.bytes.length)
    splits.push(entryOffset);
  splits.push(segment.bytes.length);
  for (let i = 0; i + 1 < splits.length; i++) {
    const code = segment.bytes.subarray(splits[i], splits[i + 1]);
    // A loop, not push(...lines): spreading a large segment's lines overflows the stack.
    for (const line of disassemble(code, { org: (segment.address + splits[i]!) >>> 0 })) {
      lines.push(line);
    }
  }
  return lines;
}

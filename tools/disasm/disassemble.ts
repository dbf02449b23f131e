// Linear disassembly of one stretch of 32-bit code: each instruction in the spelling that
// makes NASM emit its exact bytes, and `db` for bytes that are no instruction or an encoding
// NASM never emits (with the instruction, if any, in a comment).

import { type DisassemblyLine, dataLine } from "./data-line.ts";
import { decodeInstruction } from "./decode-instruction.ts";
import { formatInstruction } from "./nasm-syntax.ts";
import { describeInstruction, spellInstruction } from "./spell-instruction.ts";

export interface DisassembleOptions {
  /** Address of the first byte. */
  readonly org: number;
  /** Code size: sterna runs 32-bit code only (0x67 selects 16-bit addresses within it). */
  readonly bits?: 32;
}

export function disassemble(code: Uint8Array, options: DisassembleOptions): DisassemblyLine[] {
  const lines: DisassemblyLine[] = [];
  let offset = 0;
  while (offset < code.length) {
    const address = (options.org + offset) >>> 0;
    const decoded = decodeInstruction(code, offset, address);
    if (decoded === undefined) {
      lines.push(dataLine(address, code.subarray(offset, offset + 1)));
      offset += 1;
      continue;
    }
    const bytes = code.subarray(offset, offset + decoded.lengthBytes);
    const instruction = spellInstruction(decoded, address, bytes);
    lines.push(
      instruction === undefined
        ? dataLine(address, bytes, formatInstruction(describeInstruction(decoded, address)))
        : { address, bytes, text: formatInstruction(instruction), instruction },
    );
    offset += decoded.lengthBytes;
  }
  return lines;
}

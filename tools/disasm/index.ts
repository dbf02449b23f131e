// The disassembler: 32-bit machine code -> lines of NASM syntax, decoded with the same ISA
// table the CPU and the encoder use. Every line assembles with NASM back to its own bytes:
// an instruction is printed in the spelling that forces its encoding, and bytes that
// are no instruction, or an encoding NASM never emits, are printed as `db` (with the
// instruction, if any, in a comment).

import type { SourceInstruction } from "../asm/instruction.ts";
import { decodeInstruction } from "./decode-instruction.ts";
import { formatInstruction } from "./nasm-syntax.ts";
import { describeInstruction, spellInstruction } from "./spell-instruction.ts";

export interface DisassemblyLine {
  readonly address: number;
  readonly bytes: Uint8Array;
  /** NASM source for these bytes: an instruction, or `db` data. */
  readonly text: string;
  /** The instruction, when the line is one. */
  readonly instruction?: SourceInstruction;
}

export interface DisassembleOptions {
  /** Address of the first byte. */
  readonly org: number;
}

function dataLine(address: number, bytes: Uint8Array, comment?: string): DisassemblyLine {
  const values = [...bytes].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(", ");
  return {
    address,
    bytes,
    text: comment === undefined ? `db ${values}` : `db ${values} ; ${comment}`,
  };
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

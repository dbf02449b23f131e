// A `db` line: bytes that are not printed as an instruction, optionally with a comment
// (the instruction they encode, when NASM has no spelling that emits these exact bytes).

import type { SourceInstruction } from "../asm/instruction.ts";

export interface DisassemblyLine {
  readonly address: number;
  readonly bytes: Uint8Array;
  /** NASM source for these bytes: an instruction, or `db` data. */
  readonly text: string;
  /** The instruction, when the line is one. */
  readonly instruction?: SourceInstruction;
}

export function dataLine(address: number, bytes: Uint8Array, comment?: string): DisassemblyLine {
  const values = [...bytes].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(", ");
  return {
    address,
    bytes,
    text: comment === undefined ? `db ${values}` : `db ${values} ; ${comment}`,
  };
}

// The ISA table indexed the other way round, for the disassembler: opcode byte (one-byte
// map, and the 0x0F map) -> the rows that start with it, +r rows entered at all eight
// register bytes. Built once at load time from vm/cpu/isa.ts.

import { type IsaRow, isaRows } from "../../vm/cpu/isa.ts";

export interface DecodeCandidate {
  readonly row: IsaRow;
  /** For +r rows, the register number carried in the opcode byte; otherwise -1. */
  readonly opcodeRegister: number;
}

export interface DecodeTable {
  readonly oneByte: readonly (readonly DecodeCandidate[])[];
  readonly twoByte: readonly (readonly DecodeCandidate[])[];
}

function buildDecodeTable(): DecodeTable {
  const oneByte: DecodeCandidate[][] = Array.from({ length: 256 }, () => []);
  const twoByte: DecodeCandidate[][] = Array.from({ length: 256 }, () => []);
  for (const row of isaRows) {
    const isTwoByte = row.opcode.length === 2 && row.opcode[0] === 0x0f;
    const map = isTwoByte ? twoByte : oneByte;
    const last = row.opcode[row.opcode.length - 1]!;
    if (row.plusReg) {
      for (let register = 0; register < 8; register++)
        map[last + register]!.push({ row, opcodeRegister: register });
    } else {
      map[last]!.push({ row, opcodeRegister: -1 });
    }
  }
  return { oneByte, twoByte };
}

export const decodeTable: DecodeTable = buildDecodeTable();

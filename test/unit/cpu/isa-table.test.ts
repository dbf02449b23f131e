// The ISA table (vm/cpu/isa.ts) against itself and against nasm: every row decodes to its
// own mnemonic and operands, both from bytes built from the row's own encoding fields and
// from the bytes nasm 2.16 emits for a source line selecting that row
// (fixtures/isa-encodings.json, recorded by record-isa-encodings.ts).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DecodedInstructions } from "../../../vm/cpu/decoded-instructions.ts";
import { Decoder } from "../../../vm/cpu/decoder.ts";
import { handlerIdOf } from "../../../vm/cpu/handler-id.ts";
import {
  conditionNames,
  type IsaRow,
  isaRows,
  mnemonicAliases,
  type OperandType,
} from "../../../vm/cpu/isa.ts";

const immediateBytes: Partial<Record<OperandType, number>> = {
  imm8: 1,
  simm8: 1,
  rel8: 1,
  imm16: 2,
  rel16: 2,
  imm32: 4,
  rel32: 4,
  moffs8: 4,
  moffs16: 4,
  moffs32: 4,
};

/** The row's encoding with ecx (or ds) as the register operand and [ebx+4] as memory. */
function bytesOfRow(row: IsaRow): number[] {
  const bytes = row.operandSize === 16 ? [0x66] : [];
  bytes.push(...row.opcode);
  if (row.plusReg) bytes[bytes.length - 1]! += 1;
  // Segment register 1 is cs, which a move cannot load: name ds (3) there instead.
  const reg = row.operands.includes("sreg") ? 3 : 1;
  if (row.modrm === "r") bytes.push(0x40 | (reg << 3) | 3, 4);
  if (row.modrm === "digit") bytes.push(0x40 | (row.digit << 3) | 3, 4);
  for (const operand of row.operands) {
    for (let i = 0; i < (immediateBytes[operand] ?? 0); i++) bytes.push(0x11 * (i + 1));
  }
  return bytes;
}

function decodeRow(bytes: number[]): { row: IsaRow | undefined; length: number } {
  const store = new DecodedInstructions(2);
  const buffer = new Uint8Array(16);
  buffer.set(bytes);
  const length = new Decoder().decode(buffer, bytes.length, store, 1);
  return { row: length > 0 ? isaRows[store.row[1]!] : undefined, length };
}

const signature = (row: IsaRow | undefined) =>
  row && `${row.mnemonic} ${row.operands.join(",")} (${row.operandSize})`;

describe("isa.ts rows", () => {
  it("each row decodes to itself from its own encoding fields", () => {
    for (const row of isaRows) {
      const bytes = bytesOfRow(row);
      const decoded = decodeRow(bytes);
      expect(signature(decoded.row), signature(row)).toBe(signature(row));
      // Moves of control and debug registers ignore ModRM.mod: no displacement follows.
      const length = row.operands.includes("rm32Register") ? bytes.length - 1 : bytes.length;
      expect(decoded.length, signature(row)).toBe(length);
    }
  });

  it("each row decodes to itself from nasm's encoding of a line selecting it", () => {
    const recorded: { mnemonic: string; operands: string; source: string; bytes: string }[] =
      JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "isa-encodings.json"), "utf8"));
    expect(recorded.map((r) => `${r.mnemonic} ${r.operands}`)).toEqual(
      isaRows.map((row) => `${row.mnemonic} ${row.operands.join(",")}`),
    );
    recorded.forEach((record, index) => {
      const bytes = Array.from(Buffer.from(record.bytes, "hex"));
      const decoded = decodeRow(bytes);
      const row = isaRows[index]!;
      expect(signature(decoded.row), `${record.source} -> ${record.bytes}`).toBe(signature(row));
      expect(decoded.length, record.source).toBe(bytes.length);
    });
  });

  it("names condition-code rows by the first spelling and covers all 16 conditions", () => {
    for (const stem of ["j", "set", "cmov"] as const) {
      const rows = isaRows.filter((row) => row.conditionStem === stem);
      const conditions = new Set(rows.map((row) => row.cc));
      expect(conditions.size).toBe(16);
      for (const row of rows) expect(row.mnemonic).toBe(stem + conditionNames[row.cc]![0]);
    }
    expect(isaRows.find((r) => r.mnemonic === "jl" && r.operands[0] === "rel8")?.opcode).toEqual([
      0x7c,
    ]);
    expect(isaRows.find((r) => r.mnemonic === "setg")?.opcode).toEqual([0x0f, 0x9f]);
  });

  it("maps every alias to a mnemonic that has rows", () => {
    const mnemonics = new Set(isaRows.map((row) => row.mnemonic));
    for (const [alias, target] of mnemonicAliases) {
      expect(mnemonics.has(target), `${alias} -> ${target}`).toBe(true);
      expect(mnemonics.has(alias), `${alias} is also a row mnemonic`).toBe(false);
    }
    expect(mnemonicAliases.get("jz")).toBe("je");
    expect(mnemonicAliases.get("setnae")).toBe("setb");
    expect(mnemonicAliases.get("cmovpo")).toBe("cmovnp");
    expect(mnemonicAliases.get("sal")).toBe("shl");
  });

  it("gives every handler at least one row and keeps rows well-formed", () => {
    const handlers = new Set(isaRows.map((row) => row.handler));
    for (const handler of Object.keys(handlerIdOf))
      expect(handlers.has(handler as never)).toBe(true);
    for (const row of isaRows) {
      expect(row.mnemonic).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(row.digit >= 0).toBe(row.modrm === "digit");
      expect(row.opcode.length === 1 || row.opcode[0] === 0x0f).toBe(true);
      if (row.prefixes.includes("lock")) expect(row.operands[0]).toMatch(/^rm/);
    }
  });
});

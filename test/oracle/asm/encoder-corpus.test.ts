// Byte identity with NASM 2.16 over the committed encoder corpus: every ISA row with its
// addressing forms, immediates at the size boundaries, jump distances and prefixes, each
// line given to encodeInstruction as an already-parsed SourceInstruction. Lines NASM
// refuses must be refused too (with NASM's words where the message is structural).
// Fixtures: test/oracle/asm/record.ts.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeInstruction } from "../../../tools/disasm/decode-instruction.ts";
import { isaRows } from "../../../vm/cpu/isa.ts";
import { type CorpusRecord, compareWithEncoder } from "./corpus-records.ts";

const lines = readFileSync(join(import.meta.dirname, "fixtures", "encoder-corpus.jsonl"), "utf8")
  .trim()
  .split("\n");
const header = JSON.parse(lines[0]!) as { seed: number; nasm: string };
const records = lines.slice(1).map((line) => JSON.parse(line) as CorpusRecord);

describe(`encoder vs ${header.nasm} (corpus seed ${header.seed})`, () => {
  it("encodes every line NASM accepts to NASM's bytes, and refuses every line NASM refuses", () => {
    const mismatches = compareWithEncoder(records);
    const report = mismatches
      .slice(0, 20)
      .map((m) => `${m.text}\n    nasm:   ${m.expected}\n    sterna: ${m.actual}`)
      .join("\n");
    expect(mismatches.length, `${mismatches.length} mismatches, first ones:\n${report}`).toBe(0);
  });

  it("covers every row of the ISA table with lines NASM accepts", () => {
    const accepted = records.filter((r) => r.bytes !== undefined);
    const covered = new Set(
      accepted.map(
        (r) => decodeInstruction(Buffer.from(r.bytes!, "hex"), 0, r.instruction.address)?.row,
      ),
    );
    const missing = isaRows.filter((row) => !covered.has(row));
    expect(
      missing.map((row) => `${row.mnemonic} ${row.operands.join(",")} (${row.operandSize})`),
    ).toEqual([]);
    expect(records.length - accepted.length).toBeGreaterThan(500);
  });
});

// Round trip, as a property: random instruction bytes built from random ISA rows and
// operands -> disassemble -> encode each line's text again -> the same bytes. Lines that are
// `db` give their bytes back as data. The seed is printed on failure; replay it with
//   STERNA_SEED=<seed> npx vitest run test/unit/disasm/round-trip.test.ts

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeInstruction } from "../../../tools/asm/encode/index.ts";
import { disassemble } from "../../../tools/disasm/index.ts";
import { parseInstruction } from "../../oracle/asm/parse-instruction.ts";
import { checkProperty, propertySeed } from "../../support/seeded-property.ts";
import { instructionBytes, instructionChoice } from "./random-instruction-bytes.ts";

const seed = propertySeed();
const testFile = "test/unit/disasm/round-trip.test.ts";
const numRuns = 3000;

function lineBytes(text: string, address: number): number[] | string {
  if (text.startsWith("db ")) {
    return text
      .slice(3)
      .replace(/;.*$/, "")
      .split(",")
      .map((b) => Number(b.trim()));
  }
  const result = encodeInstruction(parseInstruction(text, address));
  return result.ok ? [...result.bytes] : `${text}: ${result.message}`;
}

describe(`disassemble then re-encode (seed ${seed})`, () => {
  it("gives back the original bytes", () => {
    let instructionLines = 0;
    let dataLines = 0;
    checkProperty(
      fc.property(instructionChoice, fc.nat(0x7fffffff), (choice, org) => {
        const bytes = instructionBytes(choice);
        const rebuilt: number[] = [];
        for (const line of disassemble(bytes, { org })) {
          const again = lineBytes(line.text, line.address);
          if (typeof again === "string") throw new Error(again);
          expect(
            Buffer.from(again).equals(Buffer.from(line.bytes)),
            `${line.text} at 0x${line.address.toString(16)}`,
          ).toBe(true);
          rebuilt.push(...again);
          if (line.text.startsWith("db ")) dataLines++;
          else instructionLines++;
        }
        expect(Buffer.from(rebuilt).equals(Buffer.from(bytes))).toBe(true);
      }),
      testFile,
      numRuns,
      { seed },
    );
    // Not vacuous: most random rows come back as instructions, some as data.
    expect(instructionLines).toBeGreaterThan(numRuns / 2);
    expect(dataLines).toBeGreaterThan(0);
  });

  it("holds for arbitrary bytes too (and never throws)", () => {
    checkProperty(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(0xffffffff), (bytes, org) => {
        const rebuilt: number[] = [];
        for (const line of disassemble(bytes, { org })) {
          expect(line.bytes.length).toBeLessThanOrEqual(15);
          const again = lineBytes(line.text, line.address);
          if (typeof again === "string") throw new Error(again);
          rebuilt.push(...again);
        }
        expect(Buffer.from(rebuilt).equals(Buffer.from(bytes))).toBe(true);
      }),
      testFile,
      1000,
      { seed },
    );
  });

  it("decodes every canonical encoding as one instruction, never as db", () => {
    checkProperty(
      fc.property(instructionChoice, (choice) => {
        const bytes = instructionBytes(choice);
        const [first] = disassemble(bytes, { org: 0x1000 });
        // Bytes the encoder produces from that instruction are NASM's canonical form.
        if (first?.instruction === undefined) return;
        const canonical = encodeInstruction(first.instruction);
        if (!canonical.ok) throw new Error(`${first.text}: ${canonical.message}`);
        const lines = disassemble(canonical.bytes, { org: 0x1000 });
        expect(lines.map((l) => l.text)).toEqual([first.text]);
      }),
      testFile,
      1000,
      { seed },
    );
  });
});

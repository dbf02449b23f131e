// Byte identity with nasm: every fixtures/NAME.asm assembles with `-f bin` to exactly the bytes
// nasm 2.16 produced for it (fixtures/NAME.nasm.bin, recorded by record-fixtures.ts). The
// sources cover literals, expressions, strings, data, times/$/$$, labels, sections, macros,
// %define, conditionals, includes, operand syntax in 16- and 32-bit code, jumps sized over
// several passes (also at -O0: NAME.O0.nasm.bin), relocatable operands, segment, control and
// debug register forms, and the ABI include.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OptimizationLevel } from "../../../tools/asm/instruction.ts";
import { assembleFile, diagnosticLines, fixturesAtO0, fixturesDir } from "./fixture-files.ts";

const names = readdirSync(fixturesDir)
  .filter((file) => file.endsWith(".asm"))
  .map((file) => file.slice(0, -".asm".length));

describe("assembling the nasm fixtures with -f bin", () => {
  it("has fixtures to check", () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
  });

  function expectNasmBytes(name: string, optimization: OptimizationLevel, recorded: string): void {
    const result = assembleFile(join(fixturesDir, `${name}.asm`), "bin", optimization);
    const errors = diagnosticLines(result).filter((line) => line.includes(": error: "));
    expect(errors).toEqual([]);
    const expected = new Uint8Array(readFileSync(join(fixturesDir, recorded)));
    expect(result.output).toBeDefined();
    expect(Buffer.from(result.output!).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
  }

  for (const name of names) {
    it(`${name}.asm gives nasm's bytes`, () => expectNasmBytes(name, "x", `${name}.nasm.bin`));
  }
  for (const name of fixturesAtO0) {
    it(`${name}.asm at -O0 gives nasm -O0's bytes`, () =>
      expectNasmBytes(name, 0, `${name}.O0.nasm.bin`));
  }
});

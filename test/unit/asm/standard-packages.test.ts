// `%use` of NASM's standard packages (fp, ifunc), NASM's integer functions (__?ilog2e?__ and
// its siblings), the errors of its string and preprocessor functions (their bytes are in
// fixtures/preprocessor-functions.asm) and its data parser's habit of skipping one stray token
// after a value. The expected bytes and messages are nasm 2.16's, checked by hand.

import { describe, expect, it } from "vitest";
import { assembleText, diagnosticLines } from "./fixture-files.ts";

function hexOf(source: string): string {
  const result = assembleText(source);
  expect(diagnosticLines(result).filter((line) => line.includes("error"))).toEqual([]);
  return Buffer.from(result.output!).toString("hex");
}

describe("%use", () => {
  it("loads fp and ifunc once each, by bare or quoted name", () => {
    const source = [
      "%use fp",
      "%use fp",
      "dd Inf, float32(1.5)",
      "bf16 1.0, -2.0",
      "%use ifunc",
      "db ilog2(1 << 40), ilog2c(1000), ilog2f(1000), ilog2cw(1000)",
      '%use "fp"',
    ].join("\n");
    expect(hexOf(source)).toBe("0000807f0000c03f803f00c0280a090a");
  });

  it("refuses unknown packages and the ones sterna leaves out, with the column", () => {
    expect(diagnosticLines(assembleText("%use bogus\n"))).toEqual([
      "test.asm:1:6: error: unknown `%use' package: `bogus'",
    ]);
    expect(diagnosticLines(assembleText("%use smartalign\n"))[0]).toMatch(
      /^test\.asm:1:6: error: `%use smartalign' is not supported/,
    );
  });
});

describe("integer functions", () => {
  it("are unary operators with or without parentheses", () => {
    const source =
      "db __ilog2e__(8), __?ilog2e?__ 8, __?ilog2c?__(5), __?ilog2f?__(0), __?ilog2c?__(0)";
    expect(hexOf(source)).toBe("0303030000");
  });

  it("ilog2e refuses what is not a power of two; none takes a label", () => {
    expect(diagnosticLines(assembleText("db __?ilog2e?__(6)\n"))).toEqual([
      "test.asm:1:4: error: ilog2 argument is not a power of two",
    ]);
    expect(diagnosticLines(assembleText("x: db __?ilog2f?__(x)\n"))).toEqual([
      "test.asm:1:7: error: function may only be applied to scalar values",
    ]);
    expect(diagnosticLines(assembleText("y: db ~y\n"))).toEqual([
      "test.asm:1:7: error: `~' operator may only be applied to scalar values",
    ]);
  });
});

describe("a stray token after a data value", () => {
  it("is skipped with a warning, as nasm skips it silently", () => {
    const result = assembleText("db 1 2, 3\ndw 3 dup (1 2), 4\n");
    expect(Buffer.from(result.output!).toString("hex")).toBe("01030100010001000400");
    expect(diagnosticLines(result)).toEqual([
      "test.asm:1:6: warning: `2' after the value is ignored, as nasm does",
      "test.asm:2:13: warning: `2' after the value is ignored, as nasm does",
    ]);
  });

  it("a second one is an error", () => {
    expect(diagnosticLines(assembleText("db 1 2 3\n"))).toContain(
      "test.asm:1:8: error: comma expected, found `3'",
    );
  });
});

describe("string and preprocessor function errors", () => {
  it("calls nested past the limit end with one located error", () => {
    const source = `db ${"%abs(".repeat(1000)}1${")".repeat(1000)}\n`;
    expect(diagnosticLines(assembleText(source))).toEqual([
      "test.asm:1:324: error: preprocessor functions nested more than 64 deep",
    ]);
  });

  it("are located like nasm's", () => {
    const source = [
      "dw __utf16__ 33",
      'dw __utf16__("ab",16)',
      "dw __utf16__(`\\xff`)",
      "db %num(1,,1)",
    ].join("\n");
    expect(diagnosticLines(assembleText(`${source}\n`)).filter((l) => l.includes("error"))).toEqual(
      [
        "test.asm:1:14: error: expecting string as argument to __utf16__",
        "test.asm:2:18: error: expecting `)'",
        "test.asm:3:14: error: invalid input string to __utf16__",
        "test.asm:4:4: error: invalid base 1 given to %num()",
      ],
    );
  });
});

// Floating-point constants beyond the byte-identity fixtures (fixtures/floats.asm and
// fixtures/floats-random.asm, recorded with nasm): which number tokens are floats, the bit
// patterns of a few well-known values, and the errors nasm 2.16 gives for malformed ones
// (its messages, checked by hand against `nasm -f bin`), each located at its column.

import { describe, expect, it } from "vitest";
import { floatConstant, floatFormats } from "../../../tools/asm/float-constants.ts";
import { tokenizeLine } from "../../../tools/asm/lexer.ts";
import { isFloatLiteral } from "../../../tools/asm/numbers.ts";
import { assembleText, diagnosticLines } from "./fixture-files.ts";

function hex(text: string, format: keyof typeof floatFormats, negative = false): string {
  const result = floatConstant(text, negative, floatFormats[format]);
  if (!result.ok) throw new Error(result.error);
  return Buffer.from(result.bytes).reverse().toString("hex");
}

describe("which numbers are floats (NASM's scanner)", () => {
  const cases: [string, boolean][] = [
    ["1.5", true],
    ["1e16", true],
    ["1e+16", true],
    ["1.e+16", true],
    ["0x1.8p3", true],
    ["0x1p-3", true],
    ["123p", true],
    ["0p123", true],
    ["0x1e16", false],
    ["1e16h", false],
    ["$1e16", false],
    ["0b101", false],
    ["12", false],
  ];
  for (const [text, float] of cases) {
    it(`${text} is ${float ? "a float" : "an integer"}`, () => {
      const { tokens } = tokenizeLine(text);
      expect(tokens.map((token) => token.text)).toEqual([text]);
      expect(isFloatLiteral(text)).toBe(float);
    });
  }

  it("a sign after e belongs to the number unless it is hex by then", () => {
    expect(tokenizeLine("dd $1e+16").tokens.map((token) => token.text)).toEqual([
      "dd",
      "$1e",
      "+",
      "16",
    ]);
  });
});

describe("bit patterns", () => {
  it("rounds once from the decimal text to each format", () => {
    expect(hex("0.1", "float32")).toBe("3dcccccd");
    expect(hex("0.1", "float64")).toBe("3fb999999999999a");
    expect(hex("0.1", "float80m")).toBe("3ffbcccccccccccccccd");
    expect(hex("1.0", "float16")).toBe("3c00");
    expect(hex("1.1", "bfloat16")).toBe("3f8d");
    expect(hex("1.5", "float8")).toBe("3c");
    expect(hex("16777217.0", "float32")).toBe("4b800000"); // a tie, to even
    expect(hex("1.5", "float32", true)).toBe("bfc00000");
  });

  it("follows nasm where it departs from IEEE rounding (values recorded with nasm)", () => {
    expect(hex("16777219.0", "float32")).toBe("4b800001"); // a decimal tie, toward zero
    expect(hex("65520.0", "float16")).toBe("7bff");
    expect(hex("0x1.ffffffp0", "float32")).toBe("40000000"); // a hex tie, to even
    expect(hex("362.0", "float8")).toBe("7b"); // a finite value in the all-ones exponent
    expect(hex("79728.0", "float16", true)).toBe("fcde");
  });

  it("special values and packed BCD", () => {
    expect(hex("__?Infinity?__", "float32")).toBe("7f800000");
    expect(hex("__QNaN__", "float64")).toBe("7ff8000000000000");
    expect(hex("__SNaN__", "float16")).toBe("7c01");
    expect(hex("1234p", "float80m", true)).toBe("80000000000000001234");
  });
});

describe("malformed floats are located errors", () => {
  const cases: [string, string][] = [
    ["dd 1.5x", "1:4: error: invalid character in floating-point constant significand: 'x'"],
    ["dd 1.5e+3x", "1:4: error: invalid character in floating-point constant exponent: 'x'"],
    ["dd 1..5", "1:4: error: too many periods in floating-point constant"],
    ["dd 0x1.8q", "1:4: error: floating-point constant: `q' is invalid character"],
    ["dy 1.0", "1:4: error: no 256-bit floating-point format supported"],
    ["db 12p", "1:4: error: packed BCD requires an 80-bit format"],
    ["dt 12a4p", "1:4: error: invalid character `a' in packed BCD constant"],
    ["dt 1", "1:4: error: integer supplied as 80-bit data"],
    ["do 1", "1:4: error: integer supplied as 128-bit data"],
    ["dd __float32__(1)", "1:16: error: expecting floating-point number"],
    ["dd __float32__ 1.5", "1:16: error: expecting `('"],
    ["dd __float32__(1.5", "1:19: error: expecting `)'"],
    ["dd 1.5 + 1", "1:8: error: comma expected, found `+'"],
    ["mov eax, 1.5", "1:10: error: floating-point constant in an integer expression"],
  ];
  for (const [source, message] of cases) {
    it(source, () => {
      const result = assembleText(`${source}\n`);
      expect(result.ok).toBe(false);
      expect(diagnosticLines(result)[0]).toBe(`test.asm:${message}`);
    });
  }

  it("overflow and BCD truncation warn as nasm does, and still assemble", () => {
    const result = assembleText("dd 1e99\ndt 1234567890123456789p\n");
    expect(diagnosticLines(result)).toEqual([
      "test.asm:1:4: warning: overflow in floating-point constant [-w+float-overflow]",
      "test.asm:2:4: warning: packed BCD truncated to 18 digits [-w+other]",
    ]);
    expect(Buffer.from(result.output!).toString("hex")).toBe("0000807f89674523018967452300");
  });
});

// Tokens and literals: columns and spacing from the lexer; NASM's numeric forms (manual
// 3.4.1: prefixes, suffixes, underscores, the larger radix winning when both are written);
// strings verbatim in quotes and with C escapes in backquotes (manual 3.4.2); character
// constants little-endian.

import { describe, expect, it } from "vitest";
import { tokenizeLine } from "../../../tools/asm/lexer.ts";
import { parseNumber } from "../../../tools/asm/numbers.ts";
import { characterConstant, decodeString } from "../../../tools/asm/strings.ts";

describe("lexer", () => {
  it("gives each token its 1-based column and stops at a comment", () => {
    const { tokens } = tokenizeLine("  mov eax, [ebx+4] ; comment, ignored");
    expect(tokens.map((t) => [t.kind, t.text, t.col])).toEqual([
      ["ident", "mov", 3],
      ["ident", "eax", 7],
      ["op", ",", 10],
      ["op", "[", 12],
      ["ident", "ebx", 13],
      ["op", "+", 16],
      ["number", "4", 17],
      ["op", "]", 18],
    ]);
  });

  it("reads $, $$, $name, %-words, macro parameters and multi-character operators", () => {
    const { tokens } = tokenizeLine("$ $$ $eax $1f %define %1 %{2:3} %%loop %% << >>> <=> // ?");
    expect(tokens.map((t) => `${t.kind}:${t.text}`)).toEqual([
      "here:$",
      "base:$$",
      "ident:eax",
      "number:$1f",
      "directive:%define",
      "param:%1",
      "param:%{2:3}",
      "local:%%loop",
      "op:%%",
      "op:<<",
      "op:>>>",
      "op:<=>",
      "op://",
      "op:?",
    ]);
    expect(tokens[2]!.escaped).toBe(true);
  });

  it("keeps strings whole, semicolons inside them included", () => {
    const { tokens } = tokenizeLine("db 'a;b', `c\\`d`, \"e'f\" ; end");
    expect(tokens.filter((t) => t.kind === "string").map((t) => t.text)).toEqual([
      "'a;b'",
      "`c\\`d`",
      '"e\'f"',
    ]);
  });

  it("reports an unterminated string and an unknown character with their columns", () => {
    expect(tokenizeLine("db 'abc").error).toEqual({ col: 4, message: "unterminated string" });
    expect(tokenizeLine("mov eax, \\").error).toEqual({
      col: 10,
      message: "unexpected character `\\'",
    });
  });
});

describe("numeric literals", () => {
  const cases: [string, bigint][] = [
    ["200", 200n],
    ["0200", 200n],
    ["0200d", 200n],
    ["0d200", 200n],
    ["0t200", 200n],
    ["0c8h", 0xc8n],
    ["0xc8", 0xc8n],
    ["0hc8", 0xc8n],
    ["$0c8", 0xc8n],
    ["310q", 0o310n],
    ["310o", 0o310n],
    ["0o310", 0o310n],
    ["0q310", 0o310n],
    ["11001000b", 0b11001000n],
    ["1100_1000y", 0b11001000n],
    ["0b1100_1000", 0b11001000n],
    ["0y1100_1000", 0b11001000n],
    ["0bh", 0xbn], // suffix radix 16 beats prefix radix 2
    ["0x1b", 0x1bn], // prefix radix 16 beats suffix radix 2
    ["0dh", 0xdn],
    ["18446744073709551615", -1n],
  ];
  for (const [text, value] of cases) {
    it(`${text} is ${value}`, () => {
      expect(parseNumber(text)).toEqual({ kind: "int", value, overflow: false });
    });
  }

  it("flags values beyond 64 bits and rejects digits outside the radix", () => {
    expect(parseNumber("0x1_0000_0000_0000_0000")).toMatchObject({ kind: "int", overflow: true });
    expect(parseNumber("0x1g")).toEqual({ kind: "invalid" });
    expect(parseNumber("12q8")).toEqual({ kind: "invalid" });
  });

  it("leaves floats to float-constants.ts", () => {
    expect(parseNumber("1.5")).toEqual({ kind: "float" });
    expect(parseNumber("1e3")).toEqual({ kind: "float" });
    expect(parseNumber("0x1p3")).toEqual({ kind: "float" });
    expect(parseNumber("1e3h")).toEqual({ kind: "int", value: 0x1e3n, overflow: false });
  });
});

describe("strings", () => {
  it("take quoted text verbatim and backquoted text with escapes", () => {
    expect([...decodeString("'a\\n'")]).toEqual([0x61, 0x5c, 0x6e]);
    expect([...decodeString('"it\'s"')]).toEqual([0x69, 0x74, 0x27, 0x73]);
    expect([...decodeString("`\\n\\t\\r\\0\\\\\\e`")]).toEqual([10, 9, 13, 0, 0x5c, 27]);
    expect([...decodeString("`\\x41\\101\\x4`")]).toEqual([0x41, 0x41, 0x04]);
    expect([...decodeString("`\\u00e9`")]).toEqual([0xc3, 0xa9]);
  });

  it("read as numbers little-endian, at most four bytes outside 64-bit code (as NASM)", () => {
    expect(characterConstant(decodeString("'ab'"))).toEqual({ value: 0x6261n, tooLong: false });
    expect(characterConstant(decodeString("'abcd'"))).toEqual({
      value: 0x64636261n,
      tooLong: false,
    });
    expect(characterConstant(decodeString("'abcdefgh'"))).toEqual({
      value: 0x64636261n,
      tooLong: true,
    });
  });
});

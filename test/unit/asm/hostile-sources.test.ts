// Sources written to exhaust the host end within seconds: each limit (expression nesting,
// macro expansion size and depth, preprocessed size, included file size, output bytes) is
// a located error and no result, while long but legitimate sources (a 3000-term sum,
// `times` of 60 million bytes) still assemble.

import { describe, expect, it } from "vitest";
import { includeFileBytesMax } from "../../../tools/asm/preprocessor/preprocessor.ts";
import { assembleText, diagnosticLines } from "./fixture-files.ts";

const secondsMax = 5;

/** Assembles `source` and returns its first error line, failing if it took too long. */
function firstError(source: string, files?: Record<string, string>): string | undefined {
  const startMs = performance.now();
  const result = assembleText(source, { files });
  expect((performance.now() - startMs) / 1000).toBeLessThan(secondsMax);
  if (result.ok) return undefined;
  return diagnosticLines(result).find((line) => line.includes(": error: "));
}

function repeated(piece: string, count: number, separator = ""): string {
  return Array.from({ length: count }, () => piece).join(separator);
}

describe("hostile sources end with a located error", () => {
  it("700 nested parentheses or unary minuses", () => {
    expect(firstError(`db ${"(".repeat(700)}1${")".repeat(700)}\n`)).toBe(
      "test.asm:1:260: error: expression nested more than 256 levels deep",
    );
    expect(firstError(`dd ${"-".repeat(5000)}1\n`)).toMatch(
      /^test\.asm:1:\d+: error: expression nested/,
    );
    expect(firstError(`%if ${"(".repeat(700)}1${")".repeat(700)}\n%endif\n`)).toMatch(
      /^test\.asm:1:\d+: error: expression nested/,
    );
  });

  it("a chain of doubling %define or %xdefine", () => {
    const define = ["%define a0 x"];
    const xdefine = ["%xdefine a0 1"];
    for (let i = 1; i <= 40; i++) {
      define.push(`%define a${i} a${i - 1} a${i - 1}`);
      xdefine.push(`%xdefine a${i} a${i - 1}+a${i - 1}`);
    }
    expect(firstError([...define, "db a40"].join("\n"))).toBe(
      "test.asm:42:1: error: macro expansion of this line exceeds 65536 tokens",
    );
    expect(firstError([...xdefine, "db a40"].join("\n"))).toMatch(
      /^test\.asm:\d+:\d+: error: macro expansion of this line exceeds 65536 tokens$/,
    );
  });

  it("self-referencing single-line and recursive multi-line macros", () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `%define d${i} d${i + 1}`);
    expect(firstError([...chain, "db d0"].join("\n"))).toMatch(
      /^test\.asm:5001:\d+: error: single-line macro `d\d+' nests too deeply$/,
    );
    expect(firstError("%rmacro m 0\n m\n%endmacro\n m\n")).toBe(
      "test.asm:4:2: error: macro `m' nests more than 1000 deep",
    );
  });

  it("%rep of a long line", () => {
    const source = `%rep 1000000\n db ${repeated("1", 2000, ",")}\n%endrep\n`;
    expect(firstError(source)).toBe(
      "test.asm:2:2: error: preprocessor output exceeds 4000000 tokens",
    );
  });

  it("%rep of a huge times", () => {
    expect(firstError("%rep 100\n times 100000000 db 0\n%endrep\n")).toBe(
      "test.asm:2:1: error: output exceeds 67108864 bytes",
    );
  });

  it("an include of itself, of a huge file, of a device", () => {
    expect(firstError('%include "self.asm"\n', { "self.asm": '%include "self.asm"\n' })).toMatch(
      /error: `%include' nested more than 64 deep$/,
    );
    const huge = ";".repeat(includeFileBytesMax + 1);
    expect(firstError('%include "huge.inc"\n', { "huge.inc": huge })).toBe(
      `test.asm:1:10: error: \`huge.inc' is larger than ${includeFileBytesMax} bytes`,
    );
  });
});

describe("long legitimate sources still assemble", () => {
  it("a 3000-term sum, in code and in %if", () => {
    const sum = repeated("1", 3000, "+");
    const result = assembleText(`dd ${sum}\n%if ${sum} = 3000\n db 7\n%endif\n`);
    expect(diagnosticLines(result)).toEqual([]);
    expect([...result.output!]).toEqual([0xb8, 0x0b, 0, 0, 7]);
  });

  it("200 nested parentheses", () => {
    const result = assembleText(`db ${"(".repeat(200)}5${")".repeat(200)}\n`);
    expect([...result.output!]).toEqual([5]);
  });

  it("times of 60 million bytes, copied rather than encoded one by one", () => {
    const startMs = performance.now();
    const result = assembleText("times 30000000 nop\ntimes 15000000 dw 0x1234\n");
    expect((performance.now() - startMs) / 1000).toBeLessThan(secondsMax);
    expect(result.output!.length).toBe(60_000_000);
    expect([...result.output!.subarray(29_999_999, 30_000_003)]).toEqual([0x90, 0x34, 0x12, 0x34]);
  });

  it("times of a relative jump is encoded at each address", () => {
    const result = assembleText("bits 32\ntimes 3 jmp $\n");
    expect([...result.output!]).toEqual([0xeb, 0xfe, 0xeb, 0xfc, 0xeb, 0xfa]);
  });
});

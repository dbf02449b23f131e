// NASM's computed standard macros, with the clock pinned as NASM's own tests pin it
// (__?DATE?__, __?TIME?__ and the UTC and numeric forms; both spellings), __?BITS?__
// following `bits`, the NASM version macros; and the -O levels (NASM's -O0, -O1, -Ox).

import { describe, expect, it } from "vitest";
import { assemble, type OptimizationLevel } from "../../../tools/asm/assemble.ts";

const pinnedClock = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

function text(source: string): string {
  const result = assemble(source, { fileName: "t.asm", format: "bin", now: pinnedClock });
  expect(result.diagnostics).toEqual([]);
  return Buffer.from(result.output!).toString("latin1");
}

function hex(source: string, optimization: OptimizationLevel): string {
  const result = assemble(source, { fileName: "t.asm", format: "bin", optimization });
  expect(result.diagnostics).toEqual([]);
  return Buffer.from(result.output!).toString("hex");
}

describe("standard macros", () => {
  it("date and time come from the pinned clock", () => {
    expect(text("db __?UTC_DATE?__, ' ', __UTC_TIME__")).toBe("2026-01-02 03:04:05");
    expect(text("dd __?UTC_DATE_NUM?__, __?UTC_TIME_NUM?__\ndd __?POSIX_TIME?__")).toBe(
      Buffer.from(Uint32Array.of(20260102, 30405, pinnedClock.getTime() / 1000).buffer).toString(
        "latin1",
      ),
    );
  });

  it("__?BITS?__ follows bits, [bits] and use32", () => {
    expect(
      text("db __?BITS?__\nbits 32\ndb __BITS__\n[bits 16]\ndb __?BITS?__\nuse32\ndb __?BITS?__"),
    ).toBe("\x10\x20\x10\x20");
  });

  it("names the NASM version it follows", () => {
    expect(text("db __?NASM_VER?__\ndb __?NASM_MAJOR?__, __?NASM_MINOR?__")).toBe(
      "2.16.01\x02\x10",
    );
    expect(text("%if __?NASM_VERSION_ID?__ >= 0x02100000\ndb 'y'\n%endif")).toBe("y");
  });
});

describe("-O levels", () => {
  const source = "bits 32\nback: jmp back\nje back\nadd eax, 5\npush 5\nmov eax, [ebx+5]";
  it("-Ox takes every short form", () => {
    expect(hex(source, "x")).toBe("ebfe74fc83c0056a058b4305");
  });
  it("-O1 keeps jumps near unless `short` is written", () => {
    expect(hex(source, 1)).toBe("e9fbffffff0f84f5ffffff83c0056a058b4305");
  });
  it("-O0 keeps jmp and immediates long, jcc short", () => {
    expect(hex(source, 0)).toBe("e9fbffffff74f905050000006805000000" + "8b4305");
  });
});

// Preprocessor behaviour that bytes alone do not show, and its limits: %rmacro recursion (a
// plain %macro is not re-entered, as in NASM), runaway recursion and repetition stopped with an
// error instead of hanging, %fatal, self-including files, __FILE__, calls with the wrong number
// of arguments.

import { describe, expect, it } from "vitest";
import { assembleText, diagnosticLines } from "./fixture-files.ts";

describe("preprocessor", () => {
  it("expands %rmacro recursively until its %if stops it", () => {
    const source = [
      "%rmacro fib 3",
      "  %if %3 > 0",
      "    db %1",
      "    fib %2, %1 + %2, %3 - 1",
      "  %endif",
      "%endmacro",
      "fib 0, 1, 10",
    ].join("\n");
    const result = assembleText(source);
    expect(diagnosticLines(result)).toEqual([]);
    expect([...result.output!]).toEqual([0, 1, 1, 2, 3, 5, 8, 13, 21, 34]);
  });

  it("does not re-enter a plain %macro from its own expansion", () => {
    const source = "%macro again 0\n  db 1\n  again\n%endmacro\n  again\n";
    const result = assembleText(source, { fileName: "r.asm" });
    expect(diagnosticLines(result)).toEqual([
      "r.asm:5:3: warning: label alone on a line without a colon might be in error [-w+label-orphan]",
    ]);
    expect([...result.output!]).toEqual([1]);
  });

  it("stops runaway recursion with an error", () => {
    const result = assembleText("%rmacro forever 0\n  forever\n%endmacro\nforever\n", {
      fileName: "f.asm",
    });
    expect(diagnosticLines(result)).toEqual([
      "f.asm:4:1: error: macro `forever' nests more than 1000 deep",
    ]);
  });

  it("refuses a %rep count beyond its limit and a file that includes itself forever", () => {
    const result = assembleText('%rep 2000000\nnop\n%endrep\n%include "self.inc"\n', {
      fileName: "l.asm",
      files: { "self.inc": '%include "self.inc"\n' },
    });
    const lines = diagnosticLines(result);
    expect(lines[0]).toBe("l.asm:1:1: error: `%rep' count 2000000 exceeds the limit of 1000000");
    expect(lines[1]).toMatch(/^self\.inc:1:1: error: `%include' nested more than 64 deep$/);
    expect(lines).toHaveLength(2);
  });

  it("stops at %fatal", () => {
    const result = assembleText("%fatal cannot go on\nmovx\n", { fileName: "z.asm" });
    expect(diagnosticLines(result)).toEqual(["z.asm:1:1: error: cannot go on"]);
  });

  it("knows __FILE__ and __LINE__ where they are used", () => {
    const result = assembleText("\n\ndb __FILE__, __LINE__\n", { fileName: "here.asm" });
    expect(new TextDecoder().decode(result.output!.subarray(0, 8))).toBe("here.asm");
    expect(result.output![8]).toBe(3);
  });

  it("warns when a macro exists but not with that many arguments", () => {
    const result = assembleText("%macro two 2\ndb %1, %2\n%endmacro\ntwo 1\n", {
      fileName: "a.asm",
    });
    expect(diagnosticLines(result)).toEqual([
      "a.asm:4:1: warning: multi-line macro `two' exists, but not taking 1 parameter [-w+pp-macro-params-multi]",
      "a.asm:4:1: error: unknown instruction `two'",
    ]);
  });

  it("leaves a single-line macro that refers to itself after one step", () => {
    const result = assembleText("%define grow grow + 1\n$grow equ 5\ndb grow\n");
    expect([...result.output!]).toEqual([6]);
  });

  it("reads CRLF files with a byte order mark and joins backslash-continued lines", () => {
    const result = assembleText("\uFEFFdb 1,\\\r\n  2\r\ndb 3\r\n", { fileName: "crlf.asm" });
    expect(diagnosticLines(result)).toEqual([]);
    expect([...result.output!]).toEqual([1, 2, 3]);
  });
});

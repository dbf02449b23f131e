// Diagnostics: `FILE:LINE:COL: error: message` with the column of the offending token, every
// error of a file in one run and in source order, include chains printed like gcc's, macro
// expansions reported at the call site with a note naming the macro, warnings alike.
// Columns below are counted by hand from the sources in each test.

import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../tools/asm/assemble.ts";
import { assembleText, diagnosticLines } from "./fixture-files.ts";

describe("diagnostics", () => {
  it("name the file, line and column of an unknown mnemonic", () => {
    const source = "bits 32\nstart:\n  nop\n  movx eax, 1\n";
    const result = assembleText(source, { fileName: "bad.asm" });
    expect(result.ok).toBe(false);
    expect(result.output).toBeUndefined();
    expect(diagnosticLines(result)).toEqual(["bad.asm:4:3: error: unknown instruction `movx'"]);
  });

  it("report every error of the file in one run, in source order", () => {
    const source = [
      "bits 32", //                      1
      "  mov eax, missing", //           2: col 12
      "  db 0x1g", //                    3: col 6
      "  mov [eax], 1", //               4: col 7, the encoder refuses (no size)
      "%bogus", //                       5: col 1
      "  add eax, ebx +", //             6: col 17 (end of line)
      "label: dd 1", //                  7
      "label: dd 2", //                  8: col 1
      "  jmp short far_away", //         9: col 7, the operand (out of range)
      "  times 200 nop", //
      "far_away: ret", //
    ].join("\n");
    const result = assembleText(source, { fileName: "many.asm" });
    const lines = diagnosticLines(result);
    expect(lines.map((line) => line.split(": error: ")[0])).toEqual([
      "many.asm:2:12",
      "many.asm:3:6",
      "many.asm:4:7",
      "many.asm:5:1",
      "many.asm:6:17",
      "many.asm:8:1",
      "many.asm:9:7",
    ]);
    expect(lines[0]).toBe("many.asm:2:12: error: symbol `missing' not defined");
    expect(lines[1]).toBe("many.asm:3:6: error: invalid number `0x1g'");
    expect(lines[3]).toBe("many.asm:5:1: error: unknown preprocessor directive `%bogus'");
    expect(lines[4]).toBe("many.asm:6:17: error: expression expected");
    expect(lines[5]).toBe(
      "many.asm:8:1: error: label `label' inconsistently redefined (first defined at many.asm:7)",
    );
  });

  it("accept a name defined again with the same value, as NASM does, and refuse another value", () => {
    const same = assembleText("bits 32\nhere:\nhere:\n jmp here\nk equ 3\nk equ 3\n db k\n");
    expect(same.ok).toBe(true);
    const moved = assembleText("bits 32\nhere:\n nop\nhere:\nk equ 3\nk equ 4\n", {
      fileName: "twice.asm",
    });
    expect(diagnosticLines(moved)).toEqual([
      "twice.asm:4:1: error: label `here' inconsistently redefined (first defined at twice.asm:2)",
      "twice.asm:6:1: error: label `k' inconsistently redefined (first defined at twice.asm:5)",
    ]);
  });

  it("refuse an alignment that is not a power of two, as NASM does", () => {
    for (const directive of ["align 3", "align 0", "alignb 6", "sectalign 12"]) {
      const result = assembleText(`bits 32\nnop\n${directive}\n`, { fileName: "al.asm" });
      const boundary = directive.split(" ")[1];
      expect(diagnosticLines(result)).toEqual([
        `al.asm:3:1: error: segment alignment \`${boundary}' is not power of two`,
      ]);
    }
    expect(assembleText("bits 32\nnop\nalign 4\n", { fileName: "al.asm" }).ok).toBe(true);
  });

  it("show include chains the way gcc does", () => {
    const files = {
      "inc/outer.inc": 'db 1\n%include "inner.inc"\n',
      "inc/inner.inc": "db 2\n\n   movx eax\n",
    };
    const result = assembleText('nop\n%include "outer.inc"\n', { fileName: "main.asm", files });
    expect(result.diagnostics).toHaveLength(1);
    expect(formatDiagnostic(result.diagnostics[0]!)).toBe(
      [
        "In file included from inc/outer.inc:2,",
        "                 from main.asm:2:",
        "inc/inner.inc:3:4: error: unknown instruction `movx'",
      ].join("\n"),
    );
  });

  it("shorten a long include chain to its two innermost sites, a count and the outermost", () => {
    const files = { "self.inc": 'db 1\n%include "self.inc"\n' };
    const result = assembleText('nop\n%include "self.inc"\n', { fileName: "loop.asm", files });
    expect(result.diagnostics).toHaveLength(1);
    expect(formatDiagnostic(result.diagnostics[0]!).split("\n")).toEqual([
      "In file included from self.inc:2,",
      "                 from self.inc:2,",
      "                 from ... (60 more include sites),",
      "                 from loop.asm:2:",
      "self.inc:2:1: error: `%include' nested more than 64 deep",
    ]);
  });

  it("report macro expansions at the call site, pointing at the argument when it is at fault", () => {
    const source = [
      "%macro load 1", //    1
      "  mov eax, %1", //    2
      "  frob", //           3: an orphan label in the body
      "%endmacro", //        4
      "bits 32", //          5
      "    load nowhere", // 6: `nowhere' at col 10, the macro name at col 5
    ].join("\n");
    const result = assembleText(source, { fileName: "m.asm" });
    expect(diagnosticLines(result)).toEqual([
      "m.asm:6:10: error: symbol `nowhere' not defined",
      "m.asm:6:5: warning: label alone on a line without a colon might be in error [-w+label-orphan]",
    ]);
    expect(formatDiagnostic(result.diagnostics[0]!)).toBe(
      [
        "m.asm:6:10: error: symbol `nowhere' not defined",
        "m.asm:1: note: in expansion of macro `load'",
      ].join("\n"),
    );
  });

  it("print %error and %warning text at the directive", () => {
    const result = assembleText("  %warning careful\n%error 'stop here'\n", { fileName: "e.asm" });
    expect(diagnosticLines(result)).toEqual([
      "e.asm:1:3: warning: careful",
      "e.asm:2:1: error: stop here",
    ]);
  });

  it("catch unbalanced conditionals and unterminated macros", () => {
    const result = assembleText("%if 1\ndb 1\n%endif\n%endif\n%if 1\n%macro m 0\n", {
      fileName: "c.asm",
    });
    expect(diagnosticLines(result)).toEqual([
      "c.asm:4:1: error: `%endif' without `%if'",
      "c.asm:5:1: error: unterminated `%if'",
      "c.asm:6:1: error: unterminated `%macro'",
    ]);
  });

  it("reject bad tokens, missing includes and %if on labels with positions", () => {
    const source = ["db 'open", "db 1 @ 2", '%include "nothere.inc"', "x: db 0", "%if x", "%endif"];
    const result = assembleText(source.join("\n"), { fileName: "t.asm" });
    expect(diagnosticLines(result)).toEqual([
      "t.asm:1:4: error: unterminated string",
      "t.asm:2:6: warning: `@' after the value is ignored, as nasm does",
      "t.asm:2:8: error: comma expected, found `2'",
      "t.asm:3:10: error: unable to open include file `nothere.inc'",
      "t.asm:5:5: error: symbol `x' not defined before use",
    ]);
  });

  it("warn about data that does not fit, and keep going", () => {
    const result = assembleText("db 256, -129, 255, -128\ndw 0x10000\n", { fileName: "w.asm" });
    expect(result.ok).toBe(true);
    expect(diagnosticLines(result)).toEqual([
      "w.asm:1:4: warning: byte data exceeds bounds [-w+number-overflow]",
      "w.asm:1:9: warning: byte data exceeds bounds [-w+number-overflow]",
      "w.asm:2:4: warning: word data exceeds bounds [-w+number-overflow]",
    ]);
    expect([...result.output!]).toEqual([0, 0x7f, 0xff, 0x80, 0, 0]);
  });

  it("stop with a phase error when addresses never settle", () => {
    // The padding is 200 bytes when the block is short and none when it is long: no fixed point.
    const source = "start: times (finish - start > 100) ? 0 : 200 db 0\nfinish:\n";
    const result = assembleText(source, { fileName: "p.asm" });
    expect(result.ok).toBe(false);
    expect(diagnosticLines(result)).toEqual([
      "p.asm:2:1: error: phase error: the address of `finish' did not settle after 100 passes",
    ]);
  });

  it("allow only reservations inside a struc", () => {
    const source = "struc point\n  .x: resd 1\n  .y: dd 0\nendstruc\ndd point_size\n";
    const result = assembleText(source, { fileName: "s.asm" });
    expect(diagnosticLines(result)).toEqual([
      "s.asm:3:7: error: only resb/resw/resd/resq and alignb are allowed in absolute space (struc, absolute)",
    ]);
  });
});

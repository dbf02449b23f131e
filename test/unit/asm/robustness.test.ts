// Bad input never crashes the assembler: random lines built from assembler vocabulary (and
// arbitrary text) always give a result, every diagnostic has a position inside the source,
// and a successful result has output. Replay a failure with the seed fast-check prints.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assemble, formatDiagnostic } from "../../../tools/asm/assemble.ts";
import { checkProperty } from "../../support/seeded-property.ts";

const vocabulary = [
  "mov",
  "add",
  "jmp",
  "jz",
  "push",
  "rep",
  "lock",
  "movsb",
  "db",
  "dw",
  "dd",
  "dq",
  "resb",
  "times",
  "equ",
  "org",
  "bits 16",
  "bits 32",
  "section .data",
  "section .bss",
  "align 4",
  "eax",
  "ebx",
  "al",
  "es",
  "byte",
  "dword",
  "strict",
  "short",
  "near",
  "[",
  "]",
  ":",
  ",",
  "+",
  "-",
  "*",
  "/",
  "//",
  "%",
  "%%",
  "<<",
  ">>",
  "(",
  ")",
  "?",
  "$",
  "$$",
  "0",
  "1",
  "-1",
  "0x7f",
  "300",
  "1.5",
  "'a'",
  '"str"',
  "`\\n`",
  "label",
  ".local",
  "..@x",
  "%define X",
  "%macro m 1",
  "%endmacro",
  "%rep 2",
  "%endrep",
  "%if 1",
  "%else",
  "%endif",
  "%1",
  "%0",
  "%%l",
  "%include 'x.inc'",
  "%error e",
  "%assign n n+1",
  "m",
  "X",
  "{",
  "}",
  ";",
  "\\",
];

const line = fc.oneof(
  fc.array(fc.constantFrom(...vocabulary), { maxLength: 8 }).map((words) => words.join(" ")),
  fc.string({ maxLength: 30 }),
);

describe("assembler robustness (property)", () => {
  it("never throws and keeps diagnostics inside the source", () => {
    checkProperty(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom("bin" as const, "elf" as const),
        (lines, format) => {
          const source = lines.join("\n");
          const result = assemble(source, {
            fileName: "fuzz.asm",
            format,
            readFile: (path) => (path === "x.inc" ? source : undefined),
          });
          if (result.ok) expect(result.output).toBeInstanceOf(Uint8Array);
          else expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
          for (const diagnostic of result.diagnostics) {
            expect(diagnostic.line).toBeGreaterThanOrEqual(1);
            expect(diagnostic.column).toBeGreaterThanOrEqual(1);
            expect(formatDiagnostic(diagnostic)).toContain(`: ${diagnostic.severity}: `);
          }
        },
      ),
      "test/unit/asm/robustness.test.ts",
      300,
    );
  });
});

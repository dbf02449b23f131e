// NASM preprocessor features added for NASM's own test suite: the context stack (%push,
// %pop, %repl, %ifctx and %$ names local to a context), %ifmacro with parameter ranges and
// NASM's predefined directive macros, %+ outside macros, %elif after %else, condition-code
// parameters (%+1, %-1), %?/%?? in single-line macros, and the pasting of a name with the
// name or number touching it after expansion; the errors of %stacksize, %arg and %local (their
// bytes are in fixtures/stack-frame.asm).

import { describe, expect, it } from "vitest";
import { assemble } from "../../../tools/asm/assemble.ts";
import { assembleText, diagnosticLines } from "./fixture-files.ts";

function bytesOf(source: string): number[] {
  const result = assembleText(source);
  expect(diagnosticLines(result).filter((line) => line.includes("error"))).toEqual([]);
  return [...result.output!];
}

describe("context stack", () => {
  it("keeps %$ macros and labels apart per context", () => {
    const source = [
      "%push outer",
      "%define %$x 1",
      "%push inner",
      "%define %$x 2",
      "db %$x, %$$x",
      "%ifctx inner",
      "db 3",
      "%endif",
      "%repl renamed",
      "%ifctx renamed",
      "db 4",
      "%endif",
      "%pop",
      "db %$x",
      "%$here: jmp %$here",
      "%pop",
    ].join("\n");
    expect(bytesOf(source)).toEqual([2, 1, 3, 4, 1, 0xeb, 0xfe]);
  });

  it("reports %$ names and %pop outside any context", () => {
    const result = assembleText("db %$x\n%pop\n");
    expect(diagnosticLines(result)).toContain(
      "test.asm:1:4: error: `%$x': the context stack is empty",
    );
    expect(diagnosticLines(result)).toContain(
      "test.asm:2:1: error: `%pop': context stack is empty",
    );
  });
});

describe("%ifmacro", () => {
  it("matches parameter ranges as NASM does, and sees NASM's predefined org", () => {
    const source = [
      "%macro two 2",
      "%endmacro",
      "%ifmacro two 1\ndb 1\n%endif",
      "%ifmacro two 2\ndb 2\n%endif",
      "%ifmacro two 1+\ndb 3\n%endif",
      "%ifmacro two 3-4\ndb 4\n%endif",
      "%ifmacro two\ndb 5\n%endif",
      "%ifmacro org\ndb 6\n%endif",
    ].join("\n");
    expect(bytesOf(source)).toEqual([2, 3, 5, 6]);
  });
});

describe("lines NASM accepts with a warning", () => {
  it("pastes %+ on any line", () => {
    expect(bytesOf("%assign n 3\nlabel_ %+ n: db n\ndd label_3")).toEqual([3, 0, 0, 0, 0]);
  });

  it("ignores the branch after a second %else or an %elif after %else", () => {
    const result = assembleText("%if 0\ndb 1\n%else\ndb 2\n%elif 1\ndb 3\n%endif\n");
    expect([...result.output!]).toEqual([2]);
    expect(diagnosticLines(result)).toEqual([
      "test.asm:5:1: warning: `%elif' after `%else', ignoring content [-w+pp-else-elif]",
    ]);
  });

  it("ignores section attributes of other formats, and refuses bin placement", () => {
    const result = assembleText("section .data rdata align=4\ndb 1\n");
    expect(diagnosticLines(result)).toEqual([
      'test.asm:1:15: warning: ignoring unknown section attribute: "rdata" [-w+other]',
    ]);
    expect(diagnosticLines(assembleText("section .data vstart=0x100\n"))).toEqual([
      "test.asm:1:15: error: section attribute `vstart' is not supported",
    ]);
  });

  it("makes a jump to another section near", () => {
    expect(bytesOf("bits 32\njmp there\nsection .data\nthere: db 1")).toEqual([
      0xe9, 0x03, 0, 0, 0, 0, 0, 0, 0x01,
    ]);
  });
});

describe("string directives and %iftoken", () => {
  it("%defstr, %strlen, %substr, %strcat and %deftok", () => {
    const source = [
      "%defstr s abc def",
      "%strlen n s",
      "db s, n",
      "%substr t 'hello', 2, 3",
      "%substr u 'hello', 2, -1",
      "%substr v 'hello', 5",
      "db t, u, v",
      "%strcat w 'ab', 'cd'",
      "db w",
      "%deftok x '1+2'",
      "db x",
      "%iftoken x\ndb 9\n%else\ndb 8\n%endif",
    ].join("\n");
    const text = (bytes: number[]) => String.fromCharCode(...bytes);
    expect(text(bytesOf(source))).toBe(`abc def\x07ellellooabcd\x03\x08`);
  });
});

describe("data and operands NASM's test suite needs", () => {
  it("packed BCD in dt", () => {
    expect(bytesOf("dt 123p, -0p45")).toEqual([
      0x23, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 0, 0, 0, 0, 0, 0, 0x80,
    ]);
  });

  it("the split effective address [base, index*scale]", () => {
    expect(bytesOf("bits 32\nmov eax, [eax+8, ecx*4]")).toEqual([0x8b, 0x44, 0x88, 0x08]);
  });

  it("`at .field' names the field of the structure being instanced", () => {
    const source = [
      "struc A\n.x: resb 1\n.y: resb 1\nendstruc",
      "struc B\n.y: resb 1\n.x: resb 1\nendstruc",
      "istruc A\nat .y, db 7\niend",
    ].join("\n");
    expect(bytesOf(source)).toEqual([0, 7]);
  });
});

describe("%defalias and %ifenv", () => {
  it("an alias defines, reads and undefines its target", () => {
    const source = [
      "%defalias foo bar",
      "%define foo 33",
      "db bar",
      "%define bar 34",
      "db foo",
      "%undef foo",
      "%ifndef bar\ndb 1\n%endif",
      "%ifdefalias foo\ndb 2\n%endif",
      "%undefalias foo",
      "%ifndefalias foo\ndb 3\n%endif",
    ].join("\n");
    expect(bytesOf(source)).toEqual([33, 34, 1, 2, 3]);
  });

  it("%ifenv sees only the environment given to the assembler", () => {
    const source = "%ifenv HOME\ndb 1\n%else\ndb 2\n%endif\n%ifenv %!'SET'\ndb 3\n%endif";
    expect(bytesOf(source)).toEqual([2]);
    const result = assemble(source, {
      fileName: "e.asm",
      format: "bin",
      environment: { SET: "" },
    });
    expect([...result.output!]).toEqual([2, 3]);
  });
});

describe("more NASM 2.16 forms", () => {
  it("a greedy %define parameter and the conditional comma %,", () => {
    const source = "%define g(a, b+) a %, b\ndb g(1)\ndb g(1, 2, 3)";
    expect(bytesOf(source)).toEqual([1, 1, 2, 3]);
  });

  it("dup, %( ) lists and sizes inside data", () => {
    expect(bytesOf("db 3 dup (1, 2), %(3, 4)\ndw byte (5, 6), 2 dup word ?")).toEqual([
      1, 2, 1, 2, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0,
    ]);
  });

  it("loop with its counter register written as an operand", () => {
    expect(bytesOf("bits 16\nx: loop x, ecx\ny: loop y, cx")).toEqual([
      0x67, 0xe2, 0xfd, 0xe2, 0xfe,
    ]);
  });

  it("%{$name} reads the context-local macro's value", () => {
    const source = "%push\n%define %$base t\nt.f equ 7\ndb %{$base}.f\n%pop";
    expect(bytesOf(source)).toEqual([7]);
  });
});

describe("condition-code parameters and macro names", () => {
  it("%+1 is the parameter as a condition code, %-1 its inverse (nasm's bytes)", () => {
    const source = [
      "%macro j 1\nj%-1 x\nj%+1 x\n%endmacro",
      "x: j Z\nj pe",
      "%define l(a,b) a %+ b",
      "l_1: mov eax, l(%??, _1)",
      "l_2: mov eax, l(%?, _2)",
    ].join("\n");
    expect(Buffer.from(bytesOf(source)).toString("hex")).toBe(
      "75fe74fc7bfa7af866b80800000066b80e000000",
    );
  });

  it("refuses what is not an invertible condition code, and parameters outside macros", () => {
    const lines = (source: string) => diagnosticLines(assembleText(`${source}\n`));
    expect(lines("%macro j 1\nj%-1 x\n%endmacro\nx: j ecxz")[0]).toBe(
      "test.asm:4:4: error: condition code `ecxz' is not invertible",
    );
    expect(lines("%macro j 1\nj%-1 x\n%endmacro\nx: j foo")[0]).toBe(
      "test.asm:4:4: error: macro parameter `%-1' is not a condition code",
    );
    expect(lines("db 7 %1")).toEqual(["test.asm:1:6: error: `%1': not in a macro call"]);
  });
});

describe("pasting touching names after expansion", () => {
  it("%$v%$n names a macro per value of %$n, and a name touching a number pastes (nasm's bytes)", () => {
    const source = [
      "%push c",
      "%assign %$n 0",
      "%rep 3",
      "%assign %$v%$n %$n*2+1",
      "mov ecx, %$v%$n",
      "%assign %$n %$n+1",
      "%endrep",
      "%pop",
      "%define S 7",
      "%define P(x) x",
      "lab%+S: db P(lab)S",
    ].join("\n");
    expect(Buffer.from(bytesOf(source)).toString("hex")).toBe(
      "66b90100000066b90300000066b90500000012",
    );
  });
});

describe("%stacksize, %arg and %local errors", () => {
  it("are located like nasm's", () => {
    const source = "%stacksize huge\n%arg a\n%local b:foo\n";
    expect(diagnosticLines(assembleText(source))).toEqual([
      "test.asm:1:12: error: `%stacksize' invalid size type",
      "test.asm:2:6: error: syntax error processing `%arg' directive",
      "test.asm:3:10: error: invalid size type for `%local' missing directive",
    ]);
  });
});

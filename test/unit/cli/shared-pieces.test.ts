// The shared pieces every command uses to refuse bad input in one line: option parsers
// (commander's InvalidArgumentError, bounded values), the bounded input reader, the output
// file that reports a failed write instead of throwing, and the program reader `boot` checks
// its --run and --file programs with (naming the file, argv[0] a base name), and the bounded
// line reader of `trace`.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import * as assembler from "../../../tools/asm/assemble.ts";
import { LineTooLongError, readBoundedLines } from "../../../tools/cli/bounded-lines.ts";
import { programFileBytesMax, readInputFile } from "../../../tools/cli/input-file.ts";
import {
  parseDurationNs,
  parseLastEips,
  parseSeed,
  parseTimeSliceCycles,
} from "../../../tools/cli/option-parsers.ts";
import { OutputFile, outputPathProblem, writeOutputFile } from "../../../tools/cli/output-file.ts";
import { describeUnhandled } from "../../../tools/cli/program.ts";
import { readProgramFile } from "../../../tools/cli/program-file.ts";
import { fixtureImage, fixturePath } from "../kernel/fixtures.ts";

const directory = mkdtempSync(join(tmpdir(), "sterna-pieces-"));

describe("option parsers", () => {
  it("refuse zero, negative, fractional, huge and non-numeric values with InvalidArgumentError", () => {
    for (const text of ["0", "-1", "1.5", "1e3", "", "abc", "99999999999999999999"]) {
      expect(() => parseTimeSliceCycles(text), text).toThrow(InvalidArgumentError);
    }
    expect(() => parseTimeSliceCycles("999")).toThrow("from 1000 to 1000000000");
    expect(parseTimeSliceCycles("1000000")).toBe(1_000_000);
    expect(() => parseLastEips("10001")).toThrow(InvalidArgumentError);
    expect(parseLastEips("10000")).toBe(10_000);
    expect(parseSeed("4294967295")).toBe(0xffffffff);
    expect(() => parseSeed("4294967296")).toThrow(InvalidArgumentError);
  });

  it("read durations from 1 ns to one day", () => {
    expect(parseDurationNs("500ms")).toBe(500_000_000);
    expect(parseDurationNs("250")).toBe(250);
    for (const text of ["0", "0s", "86401s", "1e9", "5 parsecs"]) {
      expect(() => parseDurationNs(text), text).toThrow(InvalidArgumentError);
    }
  });
});

describe("bounded input files", () => {
  it("refuse devices, folders and files over the limit in one line", () => {
    expect(readInputFile("/dev/zero", programFileBytesMax)).toEqual({
      ok: false,
      message: "/dev/zero: not a regular file (a device, pipe or socket)",
    });
    expect(readInputFile(directory, 10)).toEqual({
      ok: false,
      message: `${directory}: is a directory`,
    });
    const eleven = join(directory, "eleven");
    writeFileSync(eleven, "12345678901");
    expect(readInputFile(eleven, 10)).toEqual({
      ok: false,
      message: `${eleven}: larger than the 10 bytes limit`,
    });
    expect(readInputFile(eleven, 11).ok).toBe(true);
    expect(readInputFile("", 10)).toEqual({ ok: false, message: "an input file name is empty" });
  });
});

describe("bounded lines", () => {
  async function linesOf(text: string, lineBytesMax: number): Promise<string[]> {
    const path = join(directory, "lines.txt");
    writeFileSync(path, text);
    const lines: string[] = [];
    for await (const line of readBoundedLines(path, lineBytesMax)) lines.push(line);
    return lines;
  }

  it("split at \\n and \\r\\n, keep a last line without an end, allow exactly the limit", async () => {
    expect(await linesOf("abc\r\nde\n\nxyz", 3)).toEqual(["abc", "de", "", "xyz"]);
    expect(await linesOf("", 3)).toEqual([]);
    expect(await linesOf("é\n", 2)).toEqual(["é"]);
  });

  it("refuse a longer line by its number, ended or not", async () => {
    await expect(linesOf("ok\nabcd\n", 3)).rejects.toThrow(new LineTooLongError(2, 3));
    await expect(linesOf("ok\nabc\rd", 3)).rejects.toThrow(/line 2: longer than 3 bytes/);
    await expect(linesOf("x".repeat(200_000), 65_536)).rejects.toThrow(/line 1:/);
  });
});

describe("output files", () => {
  it("refuse an empty name as such, not as a missing folder '.'", () => {
    expect(OutputFile.open("", "--trace")).toEqual({
      ok: false,
      message: "--trace: an output file name is empty",
    });
  });

  it("name the missing folder before anything is written", () => {
    const path = join(directory, "missing", "trace.jsonl");
    expect(outputPathProblem(path)).toBe(
      `${path}: cannot create: folder ${join(directory, "missing")} does not exist`,
    );
    expect(OutputFile.open(path, "--trace")).toEqual({
      ok: false,
      message: `--trace ${path}: cannot create: folder ${join(directory, "missing")} does not exist`,
    });
    expect(outputPathProblem(join(directory, "fine.txt"))).toBeUndefined();
    // Fuzz cli seed 1 #2000 (through bin/sterna.js): `asm src -o ""` blamed a folder ".".
    expect(outputPathProblem("")).toBe("an output file name is empty");
  });

  it("keep a failed write as one line for close, instead of throwing", () => {
    const opened = OutputFile.open("/dev/full");
    if (!opened.ok) throw new Error(opened.message);
    for (let i = 0; i < 10_000; i++) opened.file.writeLine(`{"t":${i}}`);
    expect(opened.file.close()).toBe("/dev/full: write failed: no space left on device");
    expect(writeOutputFile(join(directory, "out.bin"), new Uint8Array([1, 2]))).toBeUndefined();
  });
});

describe("program files for boot", () => {
  it("read an ELF or assemble a source, giving the base name as the program's name", () => {
    const elf = readProgramFile(fixturePath("hello"), assembler);
    expect(elf.ok && elf.name).toBe("hello.elf");
    const source = join(directory, "guest.asm");
    writeFileSync(
      source,
      '%include "sterna.inc"\nsection .text\nglobal _start\n_start:\n  sys_exit 0\n',
    );
    const assembled = readProgramFile(source, assembler);
    expect(assembled.ok && assembled.name).toBe("guest.asm");
  });

  it("name the file in every refusal", () => {
    const x86_64 = join(directory, "x86-64.elf");
    const image = fixtureImage("hello");
    new DataView(image.buffer).setUint16(18, 62, true);
    writeFileSync(x86_64, image);
    expect(readProgramFile(x86_64, assembler)).toEqual({
      ok: false,
      message: `${x86_64}: e_machine is 62 (x86-64), expected 3 (i386)`,
    });
    const broken = join(directory, "broken.asm");
    writeFileSync(broken, "section .text\n  mov eax,\n");
    const refused = readProgramFile(broken, assembler);
    expect(!refused.ok && refused.message).toMatch(new RegExp(`^${broken}:2:`));
    expect(readProgramFile("/dev/zero", assembler).ok).toBe(false);
  });
});

describe("the last line of defence (program.ts)", () => {
  it("words a host file error as one line naming the file, status 2", () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'x/y'"), {
      code: "ENOENT",
      path: "x/y",
    });
    expect(describeUnhandled(error)).toEqual({ line: "x/y: no such file or directory", status: 2 });
  });

  it("words anything else as one line of internal error, status 70, without a stack", () => {
    const { line, status } = describeUnhandled(new RangeError("first line\nsecond line"));
    expect(status).toBe(70);
    expect(line).toBe("internal error: first line (STERNA_DEBUG=1 shows where)");
  });
});

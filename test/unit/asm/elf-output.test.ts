// ELF output: the executable's headers follow the ELF32 i386 specification (checked field by
// field here), and each fixtures/elf program, assembled by sterna and run by the project's
// kernel (runExecutable), prints what the same source assembled by nasm and linked by ld
// printed under qemu-i386, and exits with the same status (fixtures/elf/NAME.qemu.json).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runExecutable } from "../../../kernel/run-executable.ts";
import { assembleFile, assembleText, diagnosticLines, fixturesDir } from "./fixture-files.ts";

const elfDir = join(fixturesDir, "elf");
const programs = readdirSync(elfDir)
  .filter((file) => file.endsWith(".asm"))
  .map((file) => file.slice(0, -".asm".length));

interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  fileBytes: number;
  memoryBytes: number;
  flags: number;
  align: number;
}

function programHeaders(file: Uint8Array): ProgramHeader[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const phoff = view.getUint32(28, true);
  const count = view.getUint16(44, true);
  return Array.from({ length: count }, (_, i) => {
    const at = phoff + i * 32;
    return {
      type: view.getUint32(at, true),
      offset: view.getUint32(at + 4, true),
      vaddr: view.getUint32(at + 8, true),
      fileBytes: view.getUint32(at + 16, true),
      memoryBytes: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true),
      align: view.getUint32(at + 28, true),
    };
  });
}

describe("ELF executables", () => {
  it("have a valid ELF32 i386 ET_EXEC header and page-congruent PT_LOAD segments", () => {
    const result = assembleFile(join(elfDir, "segments.asm"), "elf");
    expect(diagnosticLines(result)).toEqual([]);
    const file = result.output!;
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    expect([...file.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(file[4]).toBe(1); // ELFCLASS32
    expect(file[5]).toBe(1); // ELFDATA2LSB
    expect(file[6]).toBe(1); // EV_CURRENT
    expect(view.getUint16(16, true)).toBe(2); // ET_EXEC
    expect(view.getUint16(18, true)).toBe(3); // EM_386
    expect(view.getUint16(40, true)).toBe(52); // e_ehsize
    expect(view.getUint16(42, true)).toBe(32); // e_phentsize
    const headers = programHeaders(file);
    expect(headers.map((h) => h.type)).toEqual([1, 1]); // PT_LOAD x2
    const [code, data] = headers as [ProgramHeader, ProgramHeader];
    expect(code.flags).toBe(4 | 1); // R X
    expect(data.flags).toBe(4 | 2); // R W
    expect(code.vaddr).toBe(0x08048000);
    for (const header of headers) {
      expect(header.align).toBe(0x1000);
      expect(header.vaddr % 0x1000).toBe(header.offset % 0x1000);
      expect(header.offset + header.fileBytes).toBeLessThanOrEqual(file.length);
    }
    expect(data.vaddr).toBeGreaterThanOrEqual(code.vaddr + code.memoryBytes);
    // .bss (16 + 16 bytes) lies beyond the file part of the data segment.
    expect(data.memoryBytes - data.fileBytes).toBeGreaterThanOrEqual(32);
    const entry = view.getUint32(24, true);
    expect(entry).toBeGreaterThanOrEqual(code.vaddr);
    expect(entry).toBeLessThan(code.vaddr + code.memoryBytes);
  });

  it("start at _start", () => {
    const result = assembleText("section .text\nnop\nnop\n_start: nop\n", { format: "elf" });
    const file = result.output!;
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const entry = view.getUint32(24, true);
    const code = programHeaders(file)[0]!;
    // The code starts after the headers; _start is two bytes into it.
    expect(file[entry - code.vaddr - 2]).toBe(0x90);
    expect(file[entry - code.vaddr]).toBe(0x90);
    expect(programHeaders(file)).toHaveLength(1);
  });

  it("warn and start at .text when there is no _start", () => {
    const result = assembleText("mov eax, 1\n", { format: "elf", fileName: "nostart.asm" });
    expect(result.ok).toBe(true);
    expect(diagnosticLines(result)).toEqual([
      "nostart.asm:1:1: warning: no `_start' label: the program starts at the beginning of .text (0x08048060)",
    ]);
  });

  it("come out whole when a section is declared but left empty", () => {
    const result = assembleText("_start:\nsection .data\n", {
      format: "elf",
      fileName: "empty.asm",
    });
    expect(result.ok).toBe(true);
    const file = result.output!;
    for (const header of programHeaders(file))
      expect(header.offset + header.fileBytes).toBeLessThanOrEqual(file.length);
  });

  it("reject org and extern", () => {
    const result = assembleText("org 0x100\nextern puts\n", { format: "elf", fileName: "x.asm" });
    expect(result.ok).toBe(false);
    expect(diagnosticLines(result)).toEqual([
      "x.asm:1:1: error: `org' is only for -f bin (an ELF executable is laid out at 0x08048000)",
      "x.asm:2:1: error: `extern' is not supported: sterna assembles complete programs (no linking), so every symbol must be defined in the source",
    ]);
  });

  for (const name of programs) {
    it(`${name}.asm runs under the kernel as nasm+ld's build ran under qemu-i386`, () => {
      const expected = JSON.parse(readFileSync(join(elfDir, `${name}.qemu.json`), "utf8")) as {
        stdout: string;
        status: number;
      };
      const result = assembleFile(join(elfDir, `${name}.asm`), "elf");
      expect(diagnosticLines(result).filter((line) => line.includes("error"))).toEqual([]);
      const run = runExecutable(result.output!, { argv: [name] });
      expect(new TextDecoder().decode(run.stdout)).toBe(expected.stdout);
      expect(run.status).toBe(expected.status);
    });
  }
});

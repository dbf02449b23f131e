// Reading executable segments from ELF files built by nasm + ld (fixtures/hello.asm), checked
// against readelf's account of the same files, and the one-line errors for malformed files.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeInstruction } from "../../../tools/asm/encode/index.ts";
import { disassembleSegment, readElfExecutableSegments } from "../../../tools/disasm/index.ts";
import { parseInstruction } from "../../oracle/asm/parse-instruction.ts";

const fixtures = join(import.meta.dirname, "fixtures");

interface ReadelfFacts {
  entryAddress: number;
  programHeaderOffset: number;
  programHeaderCount: number;
  programHeaderBytes: number;
  executable: { offset: number; address: number; fileSize: number }[];
}

function readelfFacts(name: string): ReadelfFacts {
  const text = readFileSync(join(fixtures, name), "utf8");
  const number = (pattern: RegExp) => Number(pattern.exec(text)![1]);
  const executable = [
    ...text.matchAll(/LOAD\s+(0x\w+)\s+(0x\w+)\s+0x\w+\s+(0x\w+)\s+0x\w+\s+R?\s?W?\s?E/g),
  ].map((m) => ({ offset: Number(m[1]), address: Number(m[2]), fileSize: Number(m[3]) }));
  return {
    entryAddress: number(/Entry point address:\s+(0x\w+)/),
    programHeaderOffset: number(/Start of program headers:\s+(\d+)/),
    programHeaderCount: number(/Number of program headers:\s+(\d+)/),
    programHeaderBytes: number(/Size of program headers:\s+(\d+)/),
    executable,
  };
}

/** Instruction lengths from nasm's listing of fixtures/hello.asm's .text. */
function listedInstructionLengths(): number[] {
  const listing = readFileSync(join(fixtures, "hello.lst"), "utf8");
  const text = listing.slice(0, listing.indexOf("section .data"));
  return [...text.matchAll(/^\s*\d+ [0-9A-F]{8} ([0-9A-F[\]]+)/gm)].map(
    (m) => m[1]!.replace(/[[\]]/g, "").length / 2,
  );
}

describe.each(["hello.elf", "hello-headers.elf"])("%s", (name) => {
  const file = readFileSync(join(fixtures, name));
  const facts = readelfFacts(name.replace(".elf", ".readelf.txt"));
  const result = readElfExecutableSegments(file);

  it("has readelf's entry point and executable LOAD segments", () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.entryAddress).toBe(facts.entryAddress);
    expect(result.segments.map((s) => ({ address: s.address, fileSize: s.bytes.length }))).toEqual(
      facts.executable.map((s) => ({ address: s.address, fileSize: s.fileSize })),
    );
  });

  it("marks the ELF and program headers inside a segment as data, not code", () => {
    if (!result.ok) throw new Error(result.message);
    const headersEnd =
      facts.programHeaderOffset + facts.programHeaderCount * facts.programHeaderBytes;
    for (const [i, segment] of result.segments.entries()) {
      const offset = facts.executable[i]!.offset;
      expect(segment.headerBytes).toBe(offset < headersEnd ? headersEnd - offset : 0);
      const lines = disassembleSegment({
        name: "text",
        address: segment.address,
        bytes: segment.bytes,
        dataPrefixBytes: segment.headerBytes,
        entryAddress: result.entryAddress,
      });
      const headerLines = lines.filter(
        (line) => line.address < segment.address + segment.headerBytes,
      );
      expect(headerLines.every((line) => line.text.startsWith("db "))).toBe(true);
      const code = lines.filter((line) => line.address >= result.entryAddress);
      expect(code.map((line) => line.bytes.length)).toEqual(listedInstructionLengths());
      for (const line of code) {
        const encoded = encodeInstruction(parseInstruction(line.text, line.address));
        expect(encoded.ok && Buffer.from(encoded.bytes).equals(Buffer.from(line.bytes))).toBe(true);
      }
    }
  });
});

describe("malformed ELF files give one line naming the field", () => {
  const good = readFileSync(join(fixtures, "hello.elf"));
  const patched = (offset: number, bytes: number[]) => {
    const copy = Uint8Array.from(good);
    copy.set(bytes, offset);
    return copy;
  };
  const facts = readelfFacts("hello.readelf.txt");
  const executableHeader = facts.programHeaderOffset + facts.programHeaderBytes; // header 1 is R E

  it.each([
    ["not ELF", Uint8Array.from(Buffer.from("hello world")), /e_ident/],
    ["truncated", good.subarray(0, 30), /truncated ELF header/],
    ["64-bit", patched(4, [2]), /EI_CLASS.*offset 4/],
    ["big-endian", patched(5, [2]), /EI_DATA/],
    ["x86-64", patched(18, [62, 0]), /e_machine.*offset 18/],
    ["tiny program headers", patched(42, [8, 0]), /e_phentsize/],
    ["program headers past the end", patched(28, [0xff, 0xff, 0, 0]), /program header table/],
    [
      "segment past the end",
      patched(executableHeader + 16, [0, 0, 1, 0]),
      /program header 1 .*p_filesz/,
    ],
    ["no executable segment", patched(executableHeader + 24, [4, 0, 0, 0]), /no executable/],
  ])("%s", (_name, file, pattern) => {
    const result = readElfExecutableSegments(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(pattern);
    expect(result.message).not.toContain("\n");
  });
});

// The disassembler against NASM's own output: the encoder corpus binary (NASM's bytes for
// every accepted corpus line) must come back as one instruction per source line, never `db`,
// each spelled so that it encodes to its bytes again; encodings NASM never emits must come
// back as `db`; bytes that are no instruction, one `db` per byte.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeInstruction } from "../../../tools/asm/encode/index.ts";
import { disassemble } from "../../../tools/disasm/index.ts";
import type { CorpusRecord } from "../../oracle/asm/corpus-records.ts";
import { parseInstruction } from "../../oracle/asm/parse-instruction.ts";

const corpusDirectory = join(import.meta.dirname, "..", "..", "oracle", "asm", "fixtures");

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ""), "hex"));
}

function reencode(text: string, address: number): string {
  const result = encodeInstruction(parseInstruction(text, address));
  return result.ok ? hex(result.bytes) : `error: ${result.message}`;
}

describe("disassembling NASM's corpus binary", () => {
  const records = readFileSync(join(corpusDirectory, "encoder-corpus.jsonl"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => JSON.parse(line) as CorpusRecord)
    .filter((record) => record.bytes !== undefined);
  const binary = readFileSync(join(corpusDirectory, "encoder-corpus.bin"));
  const lines = disassemble(binary, { org: 0x1000 });

  it("finds each source line's instruction at its address, with its bytes", () => {
    expect(lines.length).toBe(records.length);
    const misplaced = lines.filter(
      (line, i) =>
        line.address !== records[i]!.instruction.address || hex(line.bytes) !== records[i]!.bytes,
    );
    expect(misplaced.map((line) => line.text)).toEqual([]);
  });

  it("spells every one as an instruction that encodes to the same bytes", () => {
    const wrong = lines.filter(
      (line) =>
        line.instruction === undefined || reencode(line.text, line.address) !== hex(line.bytes),
    );
    expect(wrong.map((line) => `${line.text} (${hex(line.bytes)})`)).toEqual([]);
  });
});

describe("encodings NASM never emits become db", () => {
  // NASM's choices for these instructions are on the left (see test/unit/asm/encode.test.ts).
  it.each([
    ["8b c3", "mov eax, ebx is 89 d8"],
    ["81 c0 05 00 00 00", "add eax, strict dword 5 is 05 id"],
    ["c7 c0 05 00 00 00", "mov eax, 5 is b8 id"],
    ["ff c0", "inc eax is 40"],
    ["8b 04 20", "mov eax, [eax] has no SIB byte"],
    ["8b 04 45 00 00 00 00", "[eax*2] is split into [eax+eax]"],
    ["66 f3 ab", "rep stosw puts f3 before 66"],
    ["8d b4 26 00 00 00 00", "NASM has no SIB form without an index for esi"],
  ])("%s (%s)", (bytes, _why) => {
    const lines = disassemble(bytesOf(bytes), { org: 0 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toMatch(/^db /);
    expect(hex(lines[0]!.bytes)).toBe(bytes.replace(/ /g, ""));
    // The comment names the instruction the bytes encode.
    expect(lines[0]!.text).toMatch(/ ; \w+/);
  });
});

describe("spellings that force the encoding", () => {
  it.each([
    ["68 05 00 00 00", /strict dword/],
    ["66 6a 05", /word/],
    ["8b 40 00", /\[byte eax\+0x0\]/],
    ["8b 80 10 00 00 00", /\[dword eax\+0x10\]/],
    ["e9 00 00 00 00", /near/],
    ["eb 00", /short/],
    ["c1 e0 01", /byte|strict/],
    ["8b 05 34 12 00 00", /\[byte 0x1234\]/],
  ])("%s says %s and encodes back", (bytes, pattern) => {
    const [line] = disassemble(bytesOf(bytes), { org: 0x1000 });
    expect(line!.text).toMatch(pattern);
    expect(reencode(line!.text, 0x1000)).toBe(bytes.replace(/ /g, ""));
  });

  it("writes xchg operands in the order that puts the right register in ModRM.reg", () => {
    for (const bytes of ["87 d9", "87 cb", "86 c3", "86 d8"]) {
      const [line] = disassemble(bytesOf(bytes), { org: 0 });
      expect(reencode(line!.text, 0)).toBe(bytes.replace(/ /g, ""));
    }
  });
});

describe("bytes that are no instruction", () => {
  it("become one db per byte, and decoding resumes after them", () => {
    // d9 is x87 (outside the table); 0f ff is unassigned; ff 90 needs a disp32; b8 and 01
    // run out of bytes.
    const lines = disassemble(bytesOf("d9 0f ff 90 b8 01"), { org: 0x10 });
    expect(lines.map((l) => [l.address, l.text])).toEqual([
      [0x10, "db 0xd9"],
      [0x11, "db 0x0f"],
      [0x12, "db 0xff"],
      [0x13, "nop"],
      [0x14, "db 0xb8"],
      [0x15, "db 0x01"],
    ]);
  });

  it("never produces an instruction longer than 15 bytes", () => {
    const lines = disassemble(bytesOf(`${"66 ".repeat(14)}90 90`), { org: 0 });
    expect(lines.every((line) => line.bytes.length <= 15)).toBe(true);
    expect(lines.reduce((n, line) => n + line.bytes.length, 0)).toBe(16);
  });
});

describe("segment, control and debug registers, aam and aad", () => {
  // The bytes of test/unit/asm/fixtures/system-registers.asm's 32-bit part, as nasm -f bin
  // emits them; each line says what ndisasm -b 32 prints for it (sterna writes `mov ds, ax`
  // where ndisasm writes `mov ds,eax`: both assemble to 8E D8).
  it.each([
    ["d4 0a", "aam"],
    ["d5 0a", "aad"],
    ["d4 10", "aam 0x10"],
    ["06", "push es"],
    ["0e", "push cs"],
    ["0f a8", "push gs"],
    ["17", "pop ss"],
    ["0f a1", "pop fs"],
    ["66 8c d8", "mov ax, ds"],
    ["8c d8", "mov eax, ds"],
    ["8c 18", "mov [eax], ds"],
    ["8e d8", "mov ds, ax"],
    ["8e 18", "mov ds, [eax]"],
    ["0f 20 c0", "mov eax, cr0"],
    ["0f 22 d9", "mov cr3, ecx"],
    ["0f 21 f6", "mov esi, dr6"],
    ["0f 23 f8", "mov dr7, eax"],
    // No operand shows the size: NASM needs o16 to emit the prefix.
    ["66 1e", "o16 push ds"],
    ["66 8c 18", "o16 mov [eax], ds"],
  ])("%s is %s and encodes back", (bytes, text) => {
    const lines = disassemble(bytesOf(bytes), { org: 0x1000 });
    expect(lines.map((line) => line.text)).toEqual([text]);
    expect(reencode(text, 0x1000)).toBe(bytes.replace(/ /g, ""));
  });

  // NASM 2.16 refuses `repne je 0x1003` ("repne prefix is not allowed") but takes the
  // target written from `$` (checked with nasm -f bin: the same three bytes back).
  it("writes a repne jump's target from $, which NASM takes", () => {
    const lines = disassemble(bytesOf("f2 74 00 f2 75 fc"), { org: 0x1000 });
    expect(lines.map((line) => line.text)).toEqual(["repne je $+0x3", "repne jne $-0x1"]);
    expect(reencode("repne je $+0x3", 0x1000)).toBe("f27400");
    expect(reencode("repne jne $-0x1", 0x1003)).toBe("f275fc");
  });

  it("keeps in step after a control register move (no db 0x0f, and al, al)", () => {
    const lines = disassemble(bytesOf("0f 20 c0 90"), { org: 0 });
    expect(lines.map((line) => line.text)).toEqual(["mov eax, cr0", "nop"]);
  });

  it("writes what the CPU refuses as db: a move to cs, 0x66 on a control register move", () => {
    expect(disassemble(bytesOf("8e c8"), { org: 0 })[0]!.text).toMatch(/^db 0x8e/);
    expect(disassemble(bytesOf("66 0f 20 c0"), { org: 0 })[0]!.text).toMatch(/^db 0x66/);
  });
});

// The ELF loader's checks: a good static i386 executable parses to the segments readelf shows
// for it, and each kind of bad file, built here by corrupting that good one, is refused with
// a message naming the field. Any corruption at all gives an ElfError, never another error.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ElfError, parseElf } from "../../../kernel/loader/elf.ts";
import { checkProperty } from "../../support/seeded-property.ts";
import { fixtureImage } from "./fixtures.ts";

// hello.elf as `readelf -lW` shows it: entry 0x8049000; three PT_LOAD headers at offset 52:
// R at 0x08048000 (0x94 bytes), R E at 0x08049000 (file offset 0x1000, 0x38 bytes), R at
// 0x0804a000 (file offset 0x2000, 0x1e bytes).
const good = fixtureImage("hello");

function patched(
  edit: (view: DataView, bytes: Uint8Array) => void,
  lengthBytes = good.length,
): Uint8Array {
  const bytes = good.slice(0, lengthBytes);
  edit(new DataView(bytes.buffer), bytes);
  return bytes;
}

const programHeader = (index: number) => 52 + index * 32;

function rejection(image: Uint8Array): ElfError {
  try {
    parseElf(image);
  } catch (error) {
    if (error instanceof ElfError) return error;
    throw error;
  }
  throw new Error("the image was accepted");
}

describe("parseElf", () => {
  it("reads the entry point and the PT_LOAD segments of a good executable", () => {
    const elf = parseElf(good);
    expect(elf.entryAddress).toBe(0x08049000);
    expect(
      elf.segments.map((s) => [s.virtualAddress, s.fileOffset, s.fileBytes, s.memoryBytes]),
    ).toEqual([
      [0x08048000, 0, 0x94, 0x94],
      [0x08049000, 0x1000, 0x38, 0x38],
      [0x0804a000, 0x2000, 0x1e, 0x1e],
    ]);
    expect(elf.segments.map((s) => [s.readable, s.writable, s.executable])).toEqual([
      [true, false, false],
      [true, false, true],
      [true, false, false],
    ]);
  });

  it("refuses a text file", () => {
    const error = rejection(new TextEncoder().encode("#!/bin/sh\necho hello\n"));
    expect(error.message).toBe("not an ELF file (bad magic)");
    expect(error.field).toBe("e_ident[EI_MAG]");
  });

  it("refuses an empty file and a file cut inside the ELF header", () => {
    expect(rejection(new Uint8Array(0)).message).toBe("not an ELF file (bad magic)");
    expect(rejection(good.slice(0, 40)).message).toBe(
      "truncated: the ELF header needs 52 bytes, file has 40 bytes",
    );
  });

  it("refuses a 64-bit ELF", () => {
    const error = rejection(patched((_, b) => (b[4] = 2)));
    expect(error.message).toBe("ELF class is 64-bit; sterna runs 32-bit i386 executables");
  });

  it("refuses a big-endian ELF", () => {
    expect(rejection(patched((_, b) => (b[5] = 2))).field).toBe("e_ident[EI_DATA]");
  });

  it("refuses another machine, naming it", () => {
    const error = rejection(patched((v) => v.setUint16(18, 62, true)));
    expect(error.message).toBe("e_machine is 62 (x86-64), expected 3 (i386)");
    expect(error.field).toBe("e_machine");
    expect(rejection(patched((v) => v.setUint16(18, 40, true))).message).toBe(
      "e_machine is 40 (ARM), expected 3 (i386)",
    );
  });

  it("refuses shared objects and object files", () => {
    expect(rejection(patched((v) => v.setUint16(16, 3, true))).message).toMatch(
      /^e_type is 3 \(ET_DYN/,
    );
    expect(rejection(patched((v) => v.setUint16(16, 1, true))).message).toMatch(
      /^e_type is 1 \(ET_REL/,
    );
  });

  it("refuses a program header table cut short by the end of the file", () => {
    // Header 2 spans bytes 116..148; cut the file at 130.
    const error = rejection(good.slice(0, 130));
    expect(error.message).toBe("truncated: program header 2 ends at byte 148, file has 130 bytes");
    expect(error.field).toBe("program header 2");
  });

  it("refuses program headers of the wrong size and absurd counts", () => {
    expect(rejection(patched((v) => v.setUint16(42, 40, true))).message).toBe(
      "e_phentsize is 40, expected 32",
    );
    expect(rejection(patched((v) => v.setUint16(44, 0, true))).field).toBe("e_phnum");
    expect(rejection(patched((v) => v.setUint16(44, 0xffff, true))).field).toBe("e_phnum");
  });

  it("refuses a segment whose file bytes lie outside the file", () => {
    const error = rejection(patched((v) => v.setUint32(programHeader(1) + 4, 0x10000, true)));
    expect(error.field).toBe("program header 1");
    expect(error.message).toBe(
      `program header 1 (PT_LOAD): p_offset 0x10000 + p_filesz 0x38 ends at byte 65592, outside the file (${good.length} bytes)`,
    );
  });

  it("refuses a segment with more file bytes than memory bytes", () => {
    const error = rejection(patched((v) => v.setUint32(programHeader(2) + 20, 0x10, true)));
    expect(error.message).toBe("program header 2 (PT_LOAD): p_filesz 0x1e exceeds p_memsz 0x10");
  });

  it("refuses segments outside user space", () => {
    expect(rejection(patched((v) => v.setUint32(programHeader(0) + 8, 0, true))).field).toBe(
      "program header 0",
    );
    expect(
      rejection(patched((v) => v.setUint32(programHeader(2) + 8, 0xc0000000, true))).message,
    ).toBe(
      "program header 2 (PT_LOAD): p_vaddr 0xc0000000 + p_memsz 0x1e reaches kernel space (0xc0000000 and above)",
    );
    expect(
      rejection(patched((v) => v.setUint32(programHeader(2) + 8, 0xbf800000, true))).message,
    ).toMatch(/^program header 2 \(PT_LOAD\): p_vaddr 0xbf800000 \+ p_memsz 0x1e lies outside/);
  });

  it("refuses a segment that wraps past 4 GiB, naming the field", () => {
    const wrapping = rejection(
      patched((v) => {
        v.setUint32(programHeader(2) + 8, 0xfffff000, true);
        v.setUint32(programHeader(2) + 20, 0x2000, true);
      }),
    );
    expect(wrapping.field).toBe("program header 2");
    expect(wrapping.message).toBe(
      "program header 2 (PT_LOAD): p_vaddr 0xfffff000 + p_memsz 0x2000 wraps past the end of the 32-bit address space",
    );
  });

  it("refuses overlapping segments (the data on top of the text), as Linux and qemu-i386 fail them", () => {
    const onTop = rejection(patched((v) => v.setUint32(programHeader(2) + 8, 0x08049000, true)));
    expect(onTop.field).toBe("program header 2");
    expect(onTop.message).toBe(
      "program header 2 (PT_LOAD): p_vaddr 0x08049000 overlaps program header 1 (p_vaddr 0x08049000 + p_memsz 0x38)",
    );
    // The text's memory reaching one byte into the next segment is an overlap too.
    const intoNext = rejection(patched((v) => v.setUint32(programHeader(1) + 20, 0x1001, true)));
    expect(intoNext.message).toMatch(/^program header 2 \(PT_LOAD\): p_vaddr 0x0804a000 overlaps/);
    // Ending exactly where the next begins is not.
    expect(() =>
      parseElf(patched((v) => v.setUint32(programHeader(1) + 20, 0x1000, true))),
    ).not.toThrow();
  });

  it("refuses an entry point outside the executable segment", () => {
    const inData = rejection(patched((v) => v.setUint32(24, 0x0804a000, true)));
    expect(inData.message).toBe("e_entry 0x0804a000 is not inside an executable PT_LOAD segment");
    expect(inData.field).toBe("e_entry");
    // Just past the text's file bytes.
    expect(rejection(patched((v) => v.setUint32(24, 0x08049038, true))).field).toBe("e_entry");
  });

  it("refuses a dynamically linked executable", () => {
    const error = rejection(patched((v) => v.setUint32(programHeader(0), 3, true)));
    expect(error.message).toBe(
      "program header 0 is PT_INTERP (needs a dynamic linker); sterna runs static executables",
    );
  });

  it("answers any corruption of the headers with an image or an ElfError, nothing else", () => {
    const headerBytes = 52 + 3 * 32;
    checkProperty(
      fc.property(
        fc.array(fc.tuple(fc.nat(headerBytes - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(good.length), { nil: undefined }),
        (edits, cutAt) => {
          const bytes = good.slice(0, cutAt ?? good.length);
          for (const [offset, value] of edits) if (offset < bytes.length) bytes[offset] = value;
          try {
            const elf = parseElf(bytes);
            expect(elf.segments.length).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(ElfError);
            expect((error as ElfError).message).not.toMatch(/undefined|NaN/);
          }
        },
      ),
      "test/unit/kernel/elf.test.ts",
      500,
    );
  });
});

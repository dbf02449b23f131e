// The decoder on its own: ModRM/SIB addressing forms (bytes from nasm 2.16 listings of
// the source in each case's name), prefixes, and the bytes it must refuse (Intel SDM vol. 2
// ch. 2: 0x67 is unsupported here, LOCK only on a memory destination of a lockable
// instruction, at most 15 bytes).

import { describe, expect, it } from "vitest";
import {
  DecodedInstructions,
  LOCATION_MEMORY,
  PREFIX_LOCK,
  PREFIX_REP,
  PREFIX_REPNE,
  REGISTER_ZERO,
} from "../../../vm/cpu/decoded-instructions.ts";
import {
  DECODE_NEED_BYTES,
  DECODE_TOO_LONG,
  DECODE_UNDEFINED,
  Decoder,
} from "../../../vm/cpu/decoder.ts";
import { isaRows } from "../../../vm/cpu/isa.ts";
import { hexBytes } from "./guest-machine.ts";

const slot = 1;

function decode(hex: string, available?: number) {
  const bytes = hexBytes(hex);
  const buffer = new Uint8Array(16);
  buffer.set(bytes);
  const store = new DecodedInstructions(2);
  const length = new Decoder().decode(buffer, available ?? bytes.length, store, slot);
  return {
    length,
    mnemonic: length > 0 ? isaRows[store.row[slot]!]!.mnemonic : undefined,
    size: store.size[slot],
    dst: store.dst[slot],
    src: store.src[slot],
    base: store.base[slot],
    index: store.index[slot],
    scale: store.scale[slot],
    disp: store.disp[slot],
    imm: store.imm[slot],
    prefixes: store.prefixes[slot],
  };
}

const Z = REGISTER_ZERO;

describe("decoder addressing forms (32-bit ModRM/SIB)", () => {
  it.each([
    ["mov eax, [ebx]", "8B03", 3, Z, 0, 0],
    ["mov eax, [esp]", "8B0424", 4, Z, 0, 0],
    ["mov eax, [ebp]", "8B4500", 5, Z, 0, 0],
    ["mov eax, [ebx+ecx*4+0x10]", "8B448B10", 3, 1, 2, 0x10],
    ["mov eax, [ecx*8+0x100]", "8B04CD00010000", Z, 1, 3, 0x100],
    ["mov eax, [esp+eax*2-0x80]", "8B444480", 4, 0, 1, -0x80],
    ["mov eax, [ebp+esi+0x12345]", "8B843545230100", 5, 6, 0, 0x12345],
    ["lea eax, [eax*2] (nasm: eax+eax)", "8D0400", 0, 0, 0, 0],
    ["mov eax, [esi-1]", "8B46FF", 6, Z, 0, -1],
  ])("%s", (_source, hex, base, index, scale, disp) => {
    const d = decode(hex);
    expect(d.length).toBe(hex.length / 2);
    expect(d.src).toBe(LOCATION_MEMORY);
    expect([d.base, d.index, d.scale, d.disp]).toEqual([base, index, scale, disp]);
  });

  it("moffs: mov eax, [0x12345678] (A1) is an absolute address", () => {
    const d = decode("A178563412");
    expect([d.mnemonic, d.dst, d.src, d.base, d.index, d.disp]).toEqual([
      "mov",
      0,
      LOCATION_MEMORY,
      Z,
      Z,
      0x12345678,
    ]);
  });

  it("register forms: add ecx, edx (01 D1) and mov al, bh (8A C7)", () => {
    expect(decode("01D1")).toMatchObject({ mnemonic: "add", dst: 1, src: 2, size: 32 });
    expect(decode("8AC7")).toMatchObject({ mnemonic: "mov", dst: 0, src: 7, size: 8 });
  });
});

describe("decoder prefixes", () => {
  it("accepts segment overrides (flat memory): es mov eax, [ebx] = 26 8B 03", () => {
    expect(decode("268B03")).toMatchObject({ length: 3, mnemonic: "mov", base: 3 });
  });

  it("selects 16-bit forms with 0x66: mov ax, [ebx] = 66 8B 03", () => {
    expect(decode("668B03")).toMatchObject({ length: 3, size: 16 });
  });

  it("records rep / repne / lock", () => {
    expect(decode("F3A5")).toMatchObject({ mnemonic: "movsd", prefixes: PREFIX_REP });
    expect(decode("F2AE")).toMatchObject({ mnemonic: "scasb", prefixes: PREFIX_REPNE });
    expect(decode("F0830301")).toMatchObject({ mnemonic: "add", prefixes: PREFIX_LOCK, imm: 1 });
  });

  it("sign-extends simm8 and rel8, zero-extends imm8", () => {
    expect(decode("83C0FF").imm).toBe(-1); // add eax, byte -1
    expect(decode("EBFE").imm).toBe(-2); // jmp $
    expect(decode("C1E0FF").imm).toBe(0xff); // shl eax, 255
  });
});

describe("decoder refusals", () => {
  it("0x67 (16-bit addressing) is undefined", () => {
    expect(decode("678B07").length).toBe(DECODE_UNDEFINED);
  });

  it("lock on a register destination or a non-lockable instruction is undefined", () => {
    expect(decode("F001D8").length).toBe(DECODE_UNDEFINED); // lock add eax, ebx
    expect(decode("F08B03").length).toBe(DECODE_UNDEFINED); // lock mov eax, [ebx]
  });

  it("unimplemented opcodes (x87 D9 E8, SSE 0F 58, 0F 0F) and lea with a register are undefined", () => {
    expect(decode("D9E8").length).toBe(DECODE_UNDEFINED);
    expect(decode("0F58C1").length).toBe(DECODE_UNDEFINED);
    expect(decode("0F0FC1").length).toBe(DECODE_UNDEFINED);
    expect(decode("8DC3").length).toBe(DECODE_UNDEFINED);
  });

  it("more than 15 bytes is refused (#GP)", () => {
    expect(decode(`${"66".repeat(14)}05${"00".repeat(1)}`, 16).length).toBe(DECODE_TOO_LONG);
  });

  it("asks for more bytes when the instruction continues past the given ones", () => {
    expect(decode("B8785634", 4).length).toBe(DECODE_NEED_BYTES);
    expect(decode("0F", 1).length).toBe(DECODE_NEED_BYTES);
  });
});

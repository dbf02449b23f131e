// CRC-32 (IEEE 802.3) against its published check values: "123456789" -> 0xCBF43926 is the
// catalogue's check value; the others are the values zlib's crc32 gives.

import { describe, expect, it } from "vitest";
import { crc32 } from "../../../vm/fabric/crc32.ts";

const ascii = (text: string) => new TextEncoder().encode(text);

describe("crc32", () => {
  it("matches the known vectors", () => {
    expect(crc32(ascii("123456789"))).toBe(0xcbf43926);
    expect(crc32(ascii(""))).toBe(0);
    expect(crc32(ascii("a"))).toBe(0xe8b7be43);
    expect(crc32(ascii("The quick brown fox jumps over the lazy dog"))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b);
  });

  it("covers only [start, end)", () => {
    expect(crc32(ascii("xx123456789yy"), 2, 11)).toBe(0xcbf43926);
  });
});

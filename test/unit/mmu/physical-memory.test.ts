// PhysicalMemory: little-endian access (as x86 stores), bounds that never throw, bulk
// copies, the watched-page notification the decode cache relies on, and state round trips.

import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "../../../vm/memory/physical-memory.ts";

describe("PhysicalMemory", () => {
  it("stores little-endian and reads unaligned values", () => {
    const memory = new PhysicalMemory(8192);
    memory.write32(0x101, 0x11223344);
    expect([memory.read8(0x101), memory.read8(0x104)]).toEqual([0x44, 0x11]);
    expect(memory.read16(0x102)).toBe(0x2233);
    expect(memory.read32(0x101)).toBe(0x11223344);
    memory.write32(0, -1);
    expect(memory.read32(0)).toBe(0xffffffff);
    memory.write16(0x10, 0x12345);
    expect(memory.read16(0x10)).toBe(0x2345);
  });

  it("reads 0 and drops writes outside memory instead of throwing", () => {
    const memory = new PhysicalMemory(4096);
    memory.write32(4094, 0x11223344);
    memory.write8(-1, 5);
    expect(memory.read32(4094)).toBe(0);
    expect(memory.read8(4096)).toBe(0);
    expect(memory.readBytes(4094, 4)).toEqual(new Uint8Array([0, 0, 0, 0]));
    memory.writeBytes(4094, new Uint8Array([1, 2, 3, 4]));
    expect(Array.from(memory.readBytes(4092, 6))).toEqual([0, 0, 1, 2, 0, 0]);
  });

  it("copies bulk data in and out (readBytes returns a copy)", () => {
    const memory = new PhysicalMemory(8192);
    memory.writeBytes(4090, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const copy = memory.readBytes(4090, 10);
    memory.write8(4090, 99);
    expect(copy[0]).toBe(1);
    // Memory is a SharedArrayBuffer (for start-up); what leaves it is plain, so a copy
    // posted to another thread is a copy there too.
    expect(copy.buffer).toBeInstanceOf(ArrayBuffer);
    expect(memory.read32(4094)).toBe(0x08070605);
    memory.fill(4090, 4, 0xaa);
    expect(memory.read32(4090)).toBe(0xaaaaaaaa);
  });

  it("reports the first write to each watched page, then stops watching it", () => {
    const memory = new PhysicalMemory(4 * 4096);
    const written: number[] = [];
    memory.onWatchedWrite = (page) => written.push(page);
    memory.watchedPages[1] = 1;
    memory.watchedPages[2] = 1;
    memory.write8(0x10, 1);
    memory.write32(0x1ffe, 7);
    memory.write32(0x1ffe, 8);
    memory.writeBytes(0x2ff0, new Uint8Array(32));
    expect(written).toEqual([1, 2]);
    expect(Array.from(memory.watchedPages)).toEqual([0, 0, 0, 0]);
  });

  it("round-trips its state and refuses a state of another size", () => {
    const memory = new PhysicalMemory(8192);
    memory.write32(100, 0xdeadbeef);
    const state = memory.getState();
    expect(state.bytes.buffer).toBeInstanceOf(ArrayBuffer);
    memory.write32(100, 0);
    memory.setState(state);
    expect(memory.read32(100)).toBe(0xdeadbeef);
    expect(() => new PhysicalMemory(4096).setState(state)).toThrow(/8192 bytes/);
  });

  it("refuses sizes that are not whole pages", () => {
    expect(() => new PhysicalMemory(1000)).toThrow(/multiple of 4096/);
    expect(() => new PhysicalMemory(0)).toThrow(/multiple of 4096/);
  });
});

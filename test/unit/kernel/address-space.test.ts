// Address spaces built by the kernel as the MMU reads them (x86 PDE/PTE bits, Intel SDM vol. 3
// §4.3): a mapped page translates, read-only pages refuse user writes, changes to a loaded
// space are flushed from the TLB, and frames always go back to the allocator.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressSpace } from "../../../kernel/memory/address-space.ts";
import { FrameAllocator } from "../../../kernel/memory/frame-allocator.ts";
import { Machine } from "../../../vm/machine.ts";
import { Access } from "../../../vm/mmu/mmu.ts";
import { checkProperty } from "../../support/seeded-property.ts";

const memoryBytes = 1 << 20;

function freshSpace() {
  const machine = new Machine({ memoryBytes });
  const frames = new FrameAllocator(memoryBytes);
  const space = AddressSpace.create(machine, frames)!;
  return { machine, frames, space };
}

describe("FrameAllocator", () => {
  it("hands out every frame but the first, lowest first, and takes them back", () => {
    const frames = new FrameAllocator(16 * 4096);
    expect(frames.freeFrameCount).toBe(15);
    expect(frames.allocate()).toBe(4096);
    expect(frames.allocate()).toBe(8192);
    frames.free(4096);
    expect(frames.allocate()).toBe(4096);
    while (frames.freeFrameCount > 0) frames.allocate();
    expect(frames.allocate()).toBe(-1);
  });

  it("refuses to free a frame twice", () => {
    const frames = new FrameAllocator(16 * 4096);
    const frame = frames.allocate();
    frames.free(frame);
    expect(() => frames.free(frame)).toThrow(/not allocated/);
    expect(() => frames.free(0)).toThrow(/not allocated/);
  });
});

describe("AddressSpace", () => {
  it("maps zeroed user pages the MMU translates, with the writability asked for", () => {
    const { machine, space } = freshSpace();
    const page = 0x08048000;
    expect(space.mapZeroPage(page + 0x123, false)).toBe(true);
    const physical = space.translate(page + 0x123);
    expect(physical & 0xfff).toBe(0x123);
    expect(machine.memory.readBytes(physical - 0x123, 4096).every((b) => b === 0)).toBe(true);
    space.activate();
    expect(machine.mmu.probe(page + 0x123, false)).toBe(physical);
    expect(machine.mmu.probe(page, true)).toBe(-1);
    space.setWritable(page, true);
    expect(machine.mmu.probe(page, true)).toBe(physical - 0x123);
    expect(space.pageCount).toBe(1);
  });

  it("widens an already mapped page to writable instead of mapping it twice", () => {
    const { space } = freshSpace();
    space.mapZeroPage(0x5000, false);
    const physical = space.translate(0x5000);
    space.mapZeroPage(0x5000, true);
    expect(space.translate(0x5000)).toBe(physical);
    expect(space.pageCount).toBe(1);
  });

  it("flushes the TLB when it changes the loaded space", () => {
    const { machine, space } = freshSpace();
    space.mapZeroPage(0x10000, true);
    space.activate();
    expect(machine.mmu.translate(0x10000, Access.Write)).toBeGreaterThan(0);
    space.setWritable(0x10000, false);
    expect(machine.mmu.translate(0x10000, Access.Write)).toBe(-1);
    expect(machine.mmu.translate(0x10000, Access.Read)).toBeGreaterThan(0);
    space.unmapPage(0x10000);
    expect(machine.mmu.translate(0x10000, Access.Read)).toBe(-1);
  });

  it("writes as the kernel into read-only pages across page boundaries", () => {
    const { machine, space } = freshSpace();
    space.mapZeroPage(0x7000, false);
    space.mapZeroPage(0x8000, false);
    space.writeAsKernel(0x7ffe, Uint8Array.of(1, 2, 3, 4));
    expect(machine.memory.read16(space.translate(0x7ffe))).toBe(0x0201);
    expect(machine.memory.read16(space.translate(0x8000))).toBe(0x0403);
  });

  it("gives every frame back when destroyed", () => {
    const machine = new Machine({ memoryBytes });
    const frames = new FrameAllocator(memoryBytes);
    const before = frames.freeFrameCount;
    const space = AddressSpace.create(machine, frames)!;
    for (const address of [0x1000, 0x2000, 0x400000, 0xbffff000]) space.mapZeroPage(address, true);
    space.destroy();
    expect(frames.freeFrameCount).toBe(before);
  });

  it("reports exhaustion instead of failing", () => {
    const machine = new Machine({ memoryBytes: 8 * 4096 });
    const frames = new FrameAllocator(8 * 4096);
    const space = AddressSpace.create(machine, frames)!;
    let mapped = 0;
    while (space.mapZeroPage(0x10000 + mapped * 4096, true)) mapped++;
    // 7 usable frames: the directory, one page table, 5 pages.
    expect(mapped).toBe(5);
  });

  it("matches a model of its mappings under any sequence of changes", () => {
    const pages = [0x1000, 0x2000, 0x3ff000, 0x400000, 0x08048000, 0xbfffe000, 0xbffff000];
    const change = fc.record({
      kind: fc.constantFrom("map", "unmap", "protect"),
      page: fc.constantFrom(...pages),
      writable: fc.boolean(),
    });
    checkProperty(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const { machine, frames, space } = freshSpace();
        const initialFree = frames.freeFrameCount;
        space.activate();
        const model = new Map<number, boolean>();
        for (const { kind, page, writable } of changes) {
          if (kind === "map") {
            space.mapZeroPage(page, writable);
            model.set(page, (model.get(page) ?? false) || writable);
          } else if (kind === "unmap") {
            expect(space.unmapPage(page)).toBe(model.delete(page));
          } else if (model.has(page)) {
            space.setWritable(page, writable);
            model.set(page, writable);
          }
          for (const p of pages) {
            const mapped = model.has(p);
            expect(machine.mmu.translate(p, Access.Read) >= 0).toBe(mapped);
            expect(machine.mmu.translate(p, Access.Write) >= 0).toBe(mapped && model.get(p));
          }
        }
        const frameSet = new Set([...model.keys()].map((p) => space.translate(p)));
        expect(frameSet.size).toBe(model.size);
        expect(space.pageCount).toBe(model.size);
        space.destroy();
        expect(frames.freeFrameCount).toBe(initialFree + 1);
      }),
      "test/unit/kernel/address-space.test.ts",
      100,
    );
  });
});

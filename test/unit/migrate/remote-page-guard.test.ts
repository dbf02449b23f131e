// The memory side of copy-on-reference (docs/migration.md, "Memory strategies"): a page still
// at the source is never mapped as a demand-zero page, whether by a fault or by a syscall's
// copy (which fails instead of zeroing it), and frames held for the pages still remote are
// taken by no one else until released.

import { describe, expect, it } from "vitest";
import { AddressSpace } from "../../../kernel/memory/address-space.ts";
import { FrameAllocator } from "../../../kernel/memory/frame-allocator.ts";
import { copyToUser } from "../../../kernel/memory/user-copy.ts";
import { makePid } from "../../../kernel/process/pid.ts";
import { Process } from "../../../kernel/process/process.ts";
import { Machine } from "../../../vm/machine.ts";

const memoryBytes = 1 << 20;
const heapStart = 0x0810_0000;

function borrower() {
  const machine = new Machine({ memoryBytes });
  const frames = new FrameAllocator(memoryBytes);
  const space = AddressSpace.create(machine, frames)!;
  const process = new Process(makePid(0, 1), "borrower", space, heapStart, 0, 0, 0);
  process.brkAddress = heapStart + 4 * 4096;
  space.activate();
  return { machine, frames, space, process };
}

describe("remote pages", () => {
  it("a page still remote is not demand-zero: no fault and no syscall copy maps it", () => {
    const { machine, space, process } = borrower();
    const remote = new Map([[heapStart + 4096, true]]);
    space.markRemote(remote);
    expect(process.isDemandZero(heapStart + 4096 + 12)).toBe(false);
    expect(process.faultInPage(heapStart + 4096)).toBe(false);
    expect(copyToUser(machine, process, heapStart + 4000, new Uint8Array(200))).toBe(false);
    expect(space.isMapped(heapStart + 4096)).toBe(false);
    // Its neighbours are ordinary heap pages.
    expect(process.faultInPage(heapStart + 2 * 4096)).toBe(true);
    // Once fetched (out of the remote map) it is an ordinary page again.
    remote.delete(heapStart + 4096);
    expect(copyToUser(machine, process, heapStart + 4000, new Uint8Array(200))).toBe(true);
  });

  it("held frames are taken by no allocation until released", () => {
    const frames = new FrameAllocator(8 * 4096);
    expect(frames.hold(5)).toBe(5);
    expect(frames.freeFrameCount).toBe(2);
    expect(frames.allocate()).toBeGreaterThan(0);
    expect(frames.allocate()).toBeGreaterThan(0);
    expect(frames.allocate()).toBe(-1);
    expect(frames.hold(1)).toBe(0);
    frames.release(2);
    expect(frames.freeFrameCount).toBe(2);
    expect(frames.allocate()).toBeGreaterThan(0);
  });
});

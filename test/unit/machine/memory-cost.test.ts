// A node's memory costs host memory only for the pages it touches: building a machine with
// the largest memory allocates no per-page bookkeeping on the host heap (the decoded-instruction
// cache's tables hang off a directory made on first use), and code run from the top of a
// 2 GiB memory is still decoded, cached and re-decoded after a write.

import { describe, expect, it } from "vitest";
import { StopReason } from "../../../vm/cpu/stop-reason.ts";
import { Machine } from "../../../vm/machine.ts";
import { PTE_P, PTE_US } from "../../../vm/mmu/page-table-entry.ts";
import { codeAddress, createGuestMachine } from "../cpu/guest-machine.ts";

const largestMemoryBytes = 0x8000_0000;

describe("a node's host memory cost", () => {
  it("does not grow with the memory size before the memory is used", () => {
    const machineCount = 16;
    const machines: Machine[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < machineCount; i++) {
      machines.push(new Machine({ memoryBytes: largestMemoryBytes }));
    }
    const heapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;
    // A flat per-page table (8 bytes for each of 524 288 pages) cost 4 MiB per machine here.
    expect(machines).toHaveLength(machineCount);
    expect(heapGrowthBytes / machineCount).toBeLessThan(256 * 1024);
  });

  it("decodes, caches and re-decodes code in the last page of 2 GiB", () => {
    // mov eax, 1 / int 0x80
    const code = [0xb8, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80];
    const guest = createGuestMachine([], {}, largestMemoryBytes);
    const lastFrame = largestMemoryBytes - 0x1000;
    guest.map(codeAddress, PTE_P | PTE_US, lastFrame);
    guest.poke(codeAddress, code);
    expect(guest.physicalOf(codeAddress)).toBe(lastFrame);
    expect(guest.cpu.run(1000)).toBe(StopReason.Trap);
    expect(guest.cpu.regs[0]).toBe(1);
    expect(guest.memory.watchedPages[lastFrame >>> 12]).toBe(1);
    guest.memory.write32(lastFrame + 1, 2);
    expect(guest.memory.watchedPages[lastFrame >>> 12]).toBe(0);
    guest.cpu.eip = codeAddress;
    expect(guest.cpu.run(1000)).toBe(StopReason.Trap);
    expect(guest.cpu.regs[0]).toBe(2);
  });
});

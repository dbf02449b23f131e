// The MMU against the Intel SDM vol. 3 ch. 4 (32-bit paging) for user-mode accesses:
// permission checks on both levels, accessed/dirty bits written back into the guest's
// tables, #PF error codes and CR2, probe() for the kernel, and the TLB's invalidation by
// invlpg and CR3 loads as the CPU sees it.

import { describe, expect, it } from "vitest";
import { Cpu } from "../../../vm/cpu/cpu.ts";
import { StopReason } from "../../../vm/cpu/stop-reason.ts";
import { PhysicalMemory } from "../../../vm/memory/physical-memory.ts";
import { Access, Mmu } from "../../../vm/mmu/mmu.ts";
import { PTE_A, PTE_D, PTE_P, PTE_RW, PTE_US } from "../../../vm/mmu/page-table-entry.ts";

const directory = 0x1000;
const table = 0x2000;
const frame = 0x5000;
const linear = 0x00401234;
const directoryEntry = directory + (linear >>> 22) * 4;
const tableEntry = table + ((linear >>> 12) & 0x3ff) * 4;

function paging(directoryFlags: number, tableFlags: number, frameAddress = frame) {
  const memory = new PhysicalMemory(64 * 1024);
  const mmu = new Mmu(memory);
  memory.write32(directoryEntry, table | directoryFlags);
  memory.write32(tableEntry, frameAddress | tableFlags);
  mmu.setCr3(directory);
  return { memory, mmu };
}

const user = PTE_P | PTE_US;
const userWritable = PTE_P | PTE_US | PTE_RW;

describe("Mmu translation", () => {
  it("translates through both levels and sets A on both, D only on a write", () => {
    const { memory, mmu } = paging(userWritable, userWritable);
    expect(mmu.translate(linear, Access.Read)).toBe(frame + 0x234);
    expect(memory.read32(directoryEntry) & (PTE_A | PTE_D)).toBe(PTE_A);
    expect(memory.read32(tableEntry) & (PTE_A | PTE_D)).toBe(PTE_A);
    expect(mmu.translate(linear, Access.Write)).toBe(frame + 0x234);
    expect(memory.read32(tableEntry) & (PTE_A | PTE_D)).toBe(PTE_A | PTE_D);
    expect(memory.read32(directoryEntry) & PTE_D).toBe(0);
  });

  it.each([
    ["directory entry not present, read", 0, userWritable, Access.Read, 0x4],
    ["table entry not present, write", userWritable, 0, Access.Write, 0x6],
    ["table entry not present, fetch", userWritable, PTE_US, Access.Fetch, 0x14],
    ["write to a read-only page", userWritable, user, Access.Write, 0x7],
    ["write under a read-only directory entry", user, userWritable, Access.Write, 0x7],
    ["user read of a supervisor page", userWritable, PTE_P | PTE_RW, Access.Read, 0x5],
    [
      "user read under a supervisor directory entry",
      PTE_P | PTE_RW,
      userWritable,
      Access.Read,
      0x5,
    ],
    ["user fetch of a supervisor page", userWritable, PTE_P, Access.Fetch, 0x15],
  ])("%s: #PF error code %i", (_name, directoryFlags, tableFlags, access, errorCode) => {
    const { memory, mmu } = paging(directoryFlags, tableFlags);
    expect(mmu.translate(linear, access)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(errorCode);
    expect(mmu.cr2).toBe(linear);
    expect(memory.read32(tableEntry) & PTE_A).toBe(0);
  });

  it("treats a frame outside physical memory as not present", () => {
    const { mmu } = paging(userWritable, userWritable, 0x7fff0000);
    expect(mmu.translate(linear, Access.Read)).toBe(-1);
    expect(mmu.faultErrorCode).toBe(0x4);
  });

  it("probe translates like the user would, sets A/D, and never touches CR2", () => {
    const { memory, mmu } = paging(userWritable, user);
    mmu.cr2 = 0x1234;
    expect(mmu.probe(linear, false)).toBe(frame + 0x234);
    expect(memory.read32(tableEntry) & (PTE_A | PTE_D)).toBe(PTE_A);
    expect(mmu.probe(linear, true)).toBe(-1);
    expect(mmu.cr2).toBe(0x1234);
    memory.write32(tableEntry, frame | userWritable);
    expect(mmu.probe(linear, true)).toBe(frame + 0x234);
    expect(memory.read32(tableEntry) & PTE_D).toBe(PTE_D);
  });

  it("round-trips cr3 and cr2 through its state", () => {
    const { mmu } = paging(userWritable, userWritable);
    mmu.cr2 = 0xabc;
    const other = new Mmu(new PhysicalMemory(4096));
    other.setState(mmu.getState());
    expect([other.cr3, other.cr2]).toEqual([directory, 0xabc]);
  });
});

describe("Mmu TLB as the CPU sees it", () => {
  // mov eax, [0x00600000] = A1 00 00 60 00, then jmp back: EB F9
  const code = [0xa1, 0x00, 0x00, 0x60, 0x00, 0xeb, 0xf9];

  function cpuReading() {
    const memory = new PhysicalMemory(256 * 1024);
    const mmu = new Mmu(memory);
    // 0x400000 (code) and 0x600000 (data) share directory entry 1.
    const dataEntry = table + ((0x600000 >>> 12) & 0x3ff) * 4;
    memory.write32(directory + 1 * 4, table | userWritable);
    memory.write32(table + 0 * 4, 0x10000 | user);
    memory.write32(dataEntry, 0x20000 | userWritable);
    memory.writeBytes(0x10000, Uint8Array.from(code));
    memory.write32(0x20000, 111);
    memory.write32(0x30000, 222);
    mmu.setCr3(directory);
    const cpu = new Cpu(mmu, memory);
    cpu.eip = 0x400000;
    return { memory, mmu, cpu, dataEntry };
  }

  it("keeps using a cached translation until invlpg", () => {
    const { memory, mmu, cpu, dataEntry } = cpuReading();
    expect(cpu.run(1)).toBe(StopReason.Budget);
    expect(cpu.regs[0]).toBe(111);
    memory.write32(dataEntry, 0x30000 | userWritable);
    cpu.run(5);
    expect(cpu.regs[0]).toBe(111);
    mmu.invlpg(0x600000);
    cpu.run(5);
    expect(cpu.regs[0]).toBe(222);
  });

  it("drops every cached translation on a CR3 load", () => {
    const { memory, mmu, cpu, dataEntry } = cpuReading();
    cpu.run(1);
    memory.write32(dataEntry, 0x30000 | userWritable);
    mmu.setCr3(directory);
    cpu.run(5);
    expect(cpu.regs[0]).toBe(222);
  });

  it("sets D through the CPU's first write, and again after the kernel clears it", () => {
    const { memory, mmu, cpu, dataEntry } = cpuReading();
    // mov [0x00600004], eax = A3 04 00 60 00, looping
    memory.writeBytes(0x10000, Uint8Array.from([0xa3, 0x04, 0x00, 0x60, 0x00, 0xeb, 0xf9]));
    cpu.run(1);
    expect(memory.read32(dataEntry) & (PTE_A | PTE_D)).toBe(PTE_A | PTE_D);
    memory.write32(dataEntry, memory.read32(dataEntry) & ~PTE_D);
    mmu.invlpg(0x600000);
    cpu.run(4);
    expect(memory.read32(dataEntry) & PTE_D).toBe(PTE_D);
  });
});

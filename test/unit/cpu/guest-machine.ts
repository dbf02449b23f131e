// Test fixture: a small physical memory with page tables, code, data and a stack mapped
// for user access, and a CPU ready to run code placed at `codeAddress`.

import { Cpu, type CpuOptions } from "../../../vm/cpu/cpu.ts";
import { PhysicalMemory } from "../../../vm/memory/physical-memory.ts";
import { Mmu } from "../../../vm/mmu/mmu.ts";
import { PTE_P, PTE_RW, PTE_US } from "../../../vm/mmu/page-table-entry.ts";

export const codeAddress = 0x0040_0000;
export const dataAddress = 0x0060_0000;
export const dataPages = 4;
export const stackTop = 0x0080_0000;
export const stackPages = 4;
export const pageDirectoryAddress = 0x1000;

export interface GuestMachine {
  memory: PhysicalMemory;
  mmu: Mmu;
  cpu: Cpu;
  /** Maps one page (allocating a frame when physical is omitted); returns the frame. */
  map(linear: number, flags: number, physical?: number): number;
  /** Physical address behind a mapped linear address. */
  physicalOf(linear: number): number;
  /** Writes bytes at a mapped linear address (through PhysicalMemory). */
  poke(linear: number, bytes: ArrayLike<number>): void;
  peek32(linear: number): number;
}

export function createGuestMachine(
  code: ArrayLike<number> = [],
  options: CpuOptions = {},
  memoryBytes = 2 << 20,
): GuestMachine {
  const memory = new PhysicalMemory(memoryBytes);
  const mmu = new Mmu(memory);
  let nextFrame = 0x3000;
  const allocate = () => {
    const frame = nextFrame;
    nextFrame += 0x1000;
    return frame;
  };
  const map = (linear: number, flags: number, physical?: number): number => {
    const directoryEntryAddress = pageDirectoryAddress + (linear >>> 22) * 4;
    let directoryEntry = memory.read32(directoryEntryAddress);
    if ((directoryEntry & PTE_P) === 0) {
      directoryEntry = allocate() | PTE_P | PTE_RW | PTE_US;
      memory.write32(directoryEntryAddress, directoryEntry);
    }
    const frame = physical ?? allocate();
    const tableEntryAddress = (directoryEntry & ~0xfff) + ((linear >>> 12) & 0x3ff) * 4;
    memory.write32(tableEntryAddress, frame | flags);
    mmu.invlpg(linear);
    return frame;
  };
  const physicalOf = (linear: number): number => {
    const directoryEntry = memory.read32(pageDirectoryAddress + (linear >>> 22) * 4);
    const tableEntry = memory.read32((directoryEntry & ~0xfff) + ((linear >>> 12) & 0x3ff) * 4);
    return (tableEntry & ~0xfff) + (linear & 0xfff);
  };
  const user = PTE_P | PTE_US;
  for (let i = 0; i < 2; i++) map(codeAddress + i * 0x1000, user);
  for (let i = 0; i < dataPages; i++) map(dataAddress + i * 0x1000, user | PTE_RW);
  for (let i = 1; i <= stackPages; i++) map(stackTop - i * 0x1000, user | PTE_RW);
  mmu.setCr3(pageDirectoryAddress);
  const poke = (linear: number, bytes: ArrayLike<number>) => {
    for (let i = 0; i < bytes.length; i++) memory.write8(physicalOf(linear + i), bytes[i]!);
  };
  poke(codeAddress, code);
  const cpu = new Cpu(mmu, memory, options);
  cpu.eip = codeAddress;
  cpu.regs[4] = stackTop;
  return {
    memory,
    mmu,
    cpu,
    map,
    physicalOf,
    poke,
    peek32: (linear) => memory.read32(physicalOf(linear)),
  };
}

/** Hex string (as nasm listings print) to bytes. */
export function hexBytes(hex: string): number[] {
  const clean = hex.replace(/\s+/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i += 2) bytes.push(Number.parseInt(clean.slice(i, i + 2), 16));
  return bytes;
}

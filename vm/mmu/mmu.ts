// x86 two-level paging for user-mode (CPL 3) accesses: CR3 -> page directory -> page table
// -> 4 KiB frame, entries in guest physical memory in x86 format. A translation needs P on
// both levels, U/S on both, and R/W on both for a write; on success the MMU sets A on both
// levels and D on the page-table entry for a write, writing them back into guest memory.
// A fault records CR2 and the #PF error code. Left out: supervisor accesses, CR0.WP,
// 4 MiB pages (PS is ignored), PAE/NX, global pages. A page table or frame outside physical
// memory counts as not present. A is set only when the whole translation succeeds.

import type { PhysicalMemory } from "../memory/physical-memory.ts";
import { PF_FETCH, PF_PRESENT, PF_USER, PF_WRITE } from "./page-fault-error-code.ts";
import { PTE_A, PTE_D, PTE_FRAME_MASK, PTE_P, PTE_RW, PTE_US } from "./page-table-entry.ts";
import { Tlb } from "./tlb.ts";

export const enum Access {
  Read = 0,
  Write = 1,
  Fetch = 2,
}

export interface MmuState {
  cr3: number;
  cr2: number;
}

export class Mmu {
  readonly tlb = new Tlb();
  /** Linear address of the last page fault. */
  cr2 = 0;
  /** #PF error code of the last failed translation. */
  faultErrorCode = 0;
  private pageDirectoryAddress = 0;

  constructor(readonly memory: PhysicalMemory) {}

  /** Physical address of the page directory. */
  get cr3(): number {
    return this.pageDirectoryAddress;
  }

  /** Loads CR3 and flushes the TLB, as a CR3 write does. */
  setCr3(physicalAddress: number): void {
    this.pageDirectoryAddress = (physicalAddress & PTE_FRAME_MASK) >>> 0;
    this.tlb.flush();
  }

  /** Drops any cached translation of the page holding `linear`. */
  invlpg(linear: number): void {
    this.tlb.invalidate(linear >>> 12);
  }

  /**
   * Translates a user access, filling the TLB. Returns the physical address, or -1 after
   * setting cr2 and faultErrorCode (the caller raises #PF).
   */
  translate(linear: number, access: Access): number {
    const result = this.walk(linear, access === Access.Write);
    if (result < 0) {
      this.cr2 = linear >>> 0;
      this.faultErrorCode =
        (result === protectionFault ? PF_PRESENT : 0) |
        (access === Access.Write ? PF_WRITE : 0) |
        PF_USER |
        (access === Access.Fetch ? PF_FETCH : 0);
      return -1;
    }
    const frameAddress = result & PTE_FRAME_MASK;
    const writable = access === Access.Write && this.memory.watchedPages[frameAddress >>> 12] === 0;
    this.tlb.insert(linear >>> 12, frameAddress, writable);
    return result;
  }

  /**
   * Translates a user address the way the user's access would (setting A, and D on write)
   * without faulting or touching cr2: the physical address, or -1.
   */
  probe(linear: number, write: boolean): number {
    const result = this.walk(linear, write);
    return result < 0 ? -1 : result;
  }

  getState(): MmuState {
    return { cr3: this.pageDirectoryAddress, cr2: this.cr2 };
  }

  setState(state: MmuState): void {
    this.setCr3(state.cr3);
    this.cr2 = state.cr2;
  }

  /** Physical address, or notPresentFault / protectionFault. */
  private walk(linear: number, write: boolean): number {
    const memory = this.memory;
    const directoryEntryAddress = this.pageDirectoryAddress + ((linear >>> 22) << 2);
    if (!memory.contains(directoryEntryAddress, 4)) return notPresentFault;
    const directoryEntry = memory.read32(directoryEntryAddress);
    if ((directoryEntry & PTE_P) === 0) return notPresentFault;
    const tableEntryAddress = ((directoryEntry & PTE_FRAME_MASK) >>> 0) + ((linear >>> 10) & 0xffc);
    if (!memory.contains(tableEntryAddress, 4)) return notPresentFault;
    const tableEntry = memory.read32(tableEntryAddress);
    if ((tableEntry & PTE_P) === 0) return notPresentFault;
    const frameAddress = (tableEntry & PTE_FRAME_MASK) >>> 0;
    if (!memory.contains(frameAddress, 4096)) return notPresentFault;
    const both = directoryEntry & tableEntry;
    if ((both & PTE_US) === 0 || (write && (both & PTE_RW) === 0)) return protectionFault;
    if ((directoryEntry & PTE_A) === 0)
      memory.write32(directoryEntryAddress, directoryEntry | PTE_A);
    const tableBits = PTE_A | (write ? PTE_D : 0);
    if ((tableEntry & tableBits) !== tableBits) {
      memory.write32(tableEntryAddress, tableEntry | tableBits);
    }
    return frameAddress | (linear & 0xfff);
  }
}

const notPresentFault = -1;
const protectionFault = -2;

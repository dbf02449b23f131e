// One process's address space: an x86 two-level page directory in guest physical memory,
// built with the same PDE/PTE bits the MMU reads. The kernel maps and unmaps user pages here
// and flushes the TLB entry of every page it changes while the space is loaded in CR3.
// Left out: sharing frames between spaces, page tables freed before the space is destroyed.

import type { Machine } from "../../vm/machine.ts";
import { PTE_D, PTE_P, PTE_RW, PTE_US } from "../../vm/mmu/page-table-entry.ts";
import { kernelCosts } from "../cost-table.ts";
import type { FrameAllocator } from "./frame-allocator.ts";
import { pageAlignDown, pageMask, pageSizeBytes } from "./user-layout.ts";

const frameMask = ~pageMask;
const entriesPerTable = 1024;

export class AddressSpace {
  readonly pageDirectoryAddress: number;
  private mappedPageCount = 0;
  private remotePages: ReadonlyMap<number, boolean> | undefined;

  private constructor(
    private readonly machine: Machine,
    private readonly frames: FrameAllocator,
    pageDirectoryAddress: number,
  ) {
    this.pageDirectoryAddress = pageDirectoryAddress;
  }

  /** A new, empty address space, or undefined when no frame is left for its directory. */
  static create(machine: Machine, frames: FrameAllocator): AddressSpace | undefined {
    const directoryAddress = frames.allocate();
    if (directoryAddress < 0) return undefined;
    machine.memory.fill(directoryAddress, pageSizeBytes, 0);
    return new AddressSpace(machine, frames, directoryAddress);
  }

  /**
   * Pages that live at another node for now (copy-on-reference, kernel/migrate/remote-pages.ts):
   * never mapped as demand-zero pages, their contents are on the way. The map is the owner's.
   */
  markRemote(pages: ReadonlyMap<number, boolean> | undefined): void {
    this.remotePages = pages;
  }

  /** Whether the page holding `linear` is still at another node. */
  isRemote(linear: number): boolean {
    return this.remotePages?.has(pageAlignDown(linear)) ?? false;
  }

  /** User pages currently mapped (page tables and the directory not counted). */
  get pageCount(): number {
    return this.mappedPageCount;
  }

  /** Makes this the space the MMU translates with. */
  activate(): void {
    this.machine.mmu.setCr3(this.pageDirectoryAddress);
  }

  /** Physical address of a page table entry, or -1 when its page table does not exist. */
  private entryAddress(linear: number, createTable: boolean): number {
    const memory = this.machine.memory;
    const directoryEntryAddress = this.pageDirectoryAddress + (linear >>> 22) * 4;
    let directoryEntry = memory.read32(directoryEntryAddress);
    if (!(directoryEntry & PTE_P)) {
      if (!createTable) return -1;
      const tableAddress = this.frames.allocate();
      if (tableAddress < 0) return -1;
      memory.fill(tableAddress, pageSizeBytes, 0);
      // The PDE allows everything; each PTE decides what its page permits.
      directoryEntry = tableAddress | PTE_P | PTE_RW | PTE_US;
      memory.write32(directoryEntryAddress, directoryEntry);
    }
    return (directoryEntry & frameMask) + ((linear >>> 12) & (entriesPerTable - 1)) * 4;
  }

  private flush(linear: number): void {
    if (this.machine.mmu.cr3 === this.pageDirectoryAddress) this.machine.mmu.invlpg(linear);
  }

  /** The kernel's view of a translation (no permission checks, no A/D updates); -1 if unmapped. */
  translate(linear: number): number {
    const entryAddress = this.entryAddress(linear, false);
    if (entryAddress < 0) return -1;
    const entry = this.machine.memory.read32(entryAddress);
    return entry & PTE_P ? (entry & frameMask) + (linear & pageMask) : -1;
  }

  isMapped(linear: number): boolean {
    return this.translate(linear) >= 0;
  }

  /**
   * Maps a fresh zeroed user page at the page holding `linear`; if it is already mapped, only
   * widens it to writable when asked. Returns false when physical memory is exhausted.
   */
  mapZeroPage(linear: number, writable: boolean): boolean {
    const entryAddress = this.entryAddress(linear, true);
    if (entryAddress < 0) return false;
    const memory = this.machine.memory;
    const entry = memory.read32(entryAddress);
    if (entry & PTE_P) {
      if (writable && !(entry & PTE_RW)) {
        memory.write32(entryAddress, entry | PTE_RW);
        this.flush(linear);
      }
      return true;
    }
    const frameAddress = this.frames.allocate();
    if (frameAddress < 0) return false;
    memory.fill(frameAddress, pageSizeBytes, 0);
    // Dirty from the start: the kernel wrote it (zeros), so a pre-copy that sent an earlier
    // page at this address (since unmapped) sends this one again.
    memory.write32(entryAddress, frameAddress | PTE_P | PTE_US | PTE_D | (writable ? PTE_RW : 0));
    this.mappedPageCount++;
    this.machine.chargeCycles(kernelCosts.pageMapCycles);
    this.flush(linear);
    return true;
  }

  /** Removes the page holding `linear` and frees its frame; false if it was not mapped. */
  unmapPage(linear: number): boolean {
    const entryAddress = this.entryAddress(linear, false);
    if (entryAddress < 0) return false;
    const memory = this.machine.memory;
    const entry = memory.read32(entryAddress);
    if (!(entry & PTE_P)) return false;
    memory.write32(entryAddress, 0);
    this.frames.free(entry & frameMask);
    this.mappedPageCount--;
    this.machine.chargeCycles(kernelCosts.pageUnmapCycles);
    this.flush(linear);
    return true;
  }

  /** Makes a mapped page read-only or writable for the user. */
  setWritable(linear: number, writable: boolean): void {
    const entryAddress = this.entryAddress(linear, false);
    if (entryAddress < 0) return;
    const memory = this.machine.memory;
    const entry = memory.read32(entryAddress);
    if (!(entry & PTE_P)) return;
    memory.write32(entryAddress, writable ? entry | PTE_RW : entry & ~PTE_RW);
    this.flush(linear);
  }

  /**
   * Writes bytes as the kernel (ignoring user protections) into mapped pages, e.g. a program's
   * text or its initial stack. Throws if a page is missing: callers map first.
   */
  writeAsKernel(linear: number, bytes: Uint8Array): void {
    let doneBytes = 0;
    while (doneBytes < bytes.length) {
      const address = (linear + doneBytes) >>> 0;
      const physical = this.translate(address);
      if (physical < 0) throw new Error(`kernel bug: writing unmapped user page ${address}`);
      const chunkBytes = Math.min(bytes.length - doneBytes, pageSizeBytes - (address & pageMask));
      this.machine.memory.writeBytes(physical, bytes.subarray(doneBytes, doneBytes + chunkBytes));
      doneBytes += chunkBytes;
    }
  }

  /** Unmaps every page in [startAddress, endAddress) that is mapped. */
  unmapRange(startAddress: number, endAddress: number): void {
    for (let page = pageAlignDown(startAddress); page < endAddress; page += pageSizeBytes) {
      this.unmapPage(page);
    }
  }

  /**
   * Clears the dirty bit of a mapped page (pre-copy migration starts watching it for writes)
   * and drops its TLB entry, so the next write walks the tables and sets D again.
   */
  clearDirty(linear: number): void {
    const entryAddress = this.entryAddress(linear, false);
    if (entryAddress < 0) return;
    const memory = this.machine.memory;
    const entry = memory.read32(entryAddress);
    if (!(entry & PTE_D)) return;
    memory.write32(entryAddress, entry & ~PTE_D);
    this.flush(linear);
  }

  /**
   * Calls `visit` for every mapped user page in increasing linear order, with its frame,
   * whether the user may write it, and whether it was written since its dirty bit was last
   * cleared (what migration copies: the pages the process has touched).
   */
  forEachMappedPage(
    visit: (linear: number, physical: number, writable: boolean, dirty: boolean) => void,
  ): void {
    const memory = this.machine.memory;
    for (let directoryIndex = 0; directoryIndex < entriesPerTable; directoryIndex++) {
      const directoryEntry = memory.read32(this.pageDirectoryAddress + directoryIndex * 4);
      if (!(directoryEntry & PTE_P)) continue;
      const tableAddress = directoryEntry & frameMask;
      for (let tableIndex = 0; tableIndex < entriesPerTable; tableIndex++) {
        const entry = memory.read32(tableAddress + tableIndex * 4);
        if (!(entry & PTE_P)) continue;
        const linear = ((directoryIndex << 22) | (tableIndex << 12)) >>> 0;
        visit(linear, entry & frameMask, (entry & PTE_RW) !== 0, (entry & PTE_D) !== 0);
      }
    }
  }

  /** Frees every frame of the space: user pages, page tables and the directory. */
  destroy(): void {
    const memory = this.machine.memory;
    for (let directoryIndex = 0; directoryIndex < entriesPerTable; directoryIndex++) {
      const directoryEntry = memory.read32(this.pageDirectoryAddress + directoryIndex * 4);
      if (!(directoryEntry & PTE_P)) continue;
      const tableAddress = directoryEntry & frameMask;
      for (let tableIndex = 0; tableIndex < entriesPerTable; tableIndex++) {
        const entry = memory.read32(tableAddress + tableIndex * 4);
        if (entry & PTE_P) this.frames.free(entry & frameMask);
      }
      this.frames.free(tableAddress);
    }
    this.frames.free(this.pageDirectoryAddress);
    this.mappedPageCount = 0;
    if (this.machine.mmu.cr3 === this.pageDirectoryAddress) this.machine.mmu.setCr3(0);
  }
}

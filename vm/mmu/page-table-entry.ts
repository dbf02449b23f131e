// Bits of an x86 page-directory or page-table entry (4 KiB pages, no PAE), as the kernel
// writes them into guest memory and the MMU reads and updates them. Left out: PWT, PCD,
// PS (4 MiB pages), G: the MMU ignores those bits.

/** Present. */
export const PTE_P = 0x001;
/** Read/write: writes allowed when set in both levels. */
export const PTE_RW = 0x002;
/** User/supervisor: user (CPL 3) access allowed when set in both levels. */
export const PTE_US = 0x004;
/** Accessed: set by the MMU on both levels when a translation uses the entry. */
export const PTE_A = 0x020;
/** Dirty: set by the MMU on the page-table entry when the page is written. */
export const PTE_D = 0x040;
/** The frame's physical address (bits 12..31). */
export const PTE_FRAME_MASK = 0xfffff000;

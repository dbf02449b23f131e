// Bits of the #PF error code the CPU pushes (here: reports) with a page fault.

/** 1: protection violation on a present page; 0: page not present. */
export const PF_PRESENT = 0x01;
/** The access was a write. */
export const PF_WRITE = 0x02;
/** The access came from user mode (always, in sterna). */
export const PF_USER = 0x04;
/** The access was an instruction fetch. */
export const PF_FETCH = 0x10;

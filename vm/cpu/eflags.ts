// EFLAGS bit positions and the parity lookup. The CPU keeps the arithmetic flags lazily
// (see lazy-flags.ts); the others live in the materialised word.

export const FLAG_CF = 0x0001;
/** Bit 1 is reserved and always reads as 1. */
export const FLAG_RESERVED_ONE = 0x0002;
export const FLAG_PF = 0x0004;
export const FLAG_AF = 0x0010;
export const FLAG_ZF = 0x0040;
export const FLAG_SF = 0x0080;
/** Trap flag: a single-step trap (#DB) after each instruction that starts with it set. */
export const FLAG_TF = 0x0100;
export const FLAG_IF = 0x0200;
export const FLAG_DF = 0x0400;
export const FLAG_OF = 0x0800;
export const FLAG_NT = 0x4000;
export const FLAG_AC = 0x40000;
export const FLAG_ID = 0x200000;

/** The six status flags arithmetic instructions compute. */
export const STATUS_FLAGS = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF;

/**
 * What popf may change at CPL 3 with IOPL 0 (IF and IOPL are kept). AC is stored but never
 * enables alignment checks.
 */
export const POPF_USER_MASK = STATUS_FLAGS | FLAG_TF | FLAG_DF | FLAG_NT | FLAG_AC | FLAG_ID;

/** PF for each low result byte: 1 when the byte has an even number of set bits. */
export const parityFlagOfByte: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let bits = 0;
    for (let v = byte; v !== 0; v >>>= 1) bits += v & 1;
    table[byte] = bits % 2 === 0 ? FLAG_PF : 0;
  }
  return table;
})();

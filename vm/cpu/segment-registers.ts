// The segment registers of a flat Linux process at CPL 3: each holds the selector Linux gives
// it (cs 0x23, ds/es/ss 0x2b, fs/gs 0) for the whole run, so they are not CPU state. Reads,
// pushes and pops see those selectors; loading a register with the selector it holds is
// allowed (as a process saving and restoring ds does), any other raises #GP(selector), as
// the CPU does for a selector outside the descriptor table (and #GP(0) for a null ss).
// Left out: loads the real CPU allows of other valid selectors (0x23 into ds, null into ds,
// 0x2b into fs), which would make the selectors state the kernel saves and migrates, and
// #GP on memory accesses through a null segment; the one-instruction trap delay after a
// load of ss.

import type { Cpu } from "./cpu.ts";
import { VECTOR_GENERAL_PROTECTION } from "./exception-vector.ts";

/** Selectors by segment register number: es cs ss ds fs gs. */
export const flatSelectors: readonly number[] = [0x2b, 0x23, 0x2b, 0x2b, 0, 0];

/** Loads `selector` (16 bits) into segment register `segment`: #GP unless it is the one held. */
export function loadSegment(cpu: Cpu, segment: number, selector: number): void {
  const value = selector & 0xffff;
  if (value !== flatSelectors[segment]) cpu.raise(VECTOR_GENERAL_PROTECTION, value & 0xfffc);
}

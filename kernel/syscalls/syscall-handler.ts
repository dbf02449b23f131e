// The shape of one syscall's implementation: it gets the calling process and the argument
// registers (ebx, ecx, edx, esi, as unsigned 32-bit values) and returns the value for eax
// (negative = -errno), or `syscallBlocked` after blocking the caller (eax is then written when
// the call completes). Handlers touch no other register except edx for calls with a second
// result (setSecondResult), so everything else is preserved.

import type { Kernel } from "../kernel.ts";
import type { Process } from "../process/process.ts";
import { Reg } from "../process/saved-context.ts";

export type SyscallHandler = (
  kernel: Kernel,
  process: Process,
  ebx: number,
  ecx: number,
  edx: number,
  esi: number,
) => number;

/** Returned by a handler that blocked the caller; never a valid eax (outside 32 bits). */
export const syscallBlocked = -0x1_0000_0001;

/** Puts a call's second result in edx of the process on the CPU. */
export function setSecondResult(kernel: Kernel, value: number): void {
  kernel.machine.cpu.regs[Reg.edx] = value;
}

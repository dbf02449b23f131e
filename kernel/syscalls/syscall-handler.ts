// The shape of one syscall's implementation: it gets the calling process and the argument
// registers (ebx, ecx, edx, esi, as unsigned 32-bit values) and returns the value for eax
// (negative = -errno). Handlers touch no other register, so everything else is preserved.

import type { Kernel } from "../kernel.ts";
import type { Process } from "../process/process.ts";

export type SyscallHandler = (
  kernel: Kernel,
  process: Process,
  ebx: number,
  ecx: number,
  edx: number,
  esi: number,
) => number;

// What the kernel does when a process faults or executes a stray `int n`: a page fault on a
// page that a migration left at the source is fetched from there (kernel/migrate/remote-pages.ts),
// one on a missing heap or stack page is served (a zeroed page, then the instruction is retried);
// a page that memory cannot back ends the process as out of memory (137); anything else
// kills the process with 128 + the signal Linux would send, and a report.
// `int n` other than 0x80 is treated as Linux treats it: int3 is #BP (SIGTRAP), `into`/int 4
// is #OF, any other vector hits a gate user mode may not use, hence #GP(vector*8+2).

import { kernelCosts } from "../cost-table.ts";
import type { Kernel } from "../kernel.ts";
import type { Process } from "../process/process.ts";
import { outOfMemoryReason } from "./end-reasons.ts";
import { ExceptionVector, exceptionName, Signal, signalForVector } from "./fault-report.ts";

const pageFaultPresentBit = 1;
/** Length of `int imm8` (CD ib): a #GP on it reports the instruction's own address. */
const intInstructionBytes = 2;

export function handleException(kernel: Kernel, process: Process): void {
  const { cpu, mmu } = kernel.machine;
  kernel.machine.chargeCycles(kernelCosts.faultCycles);
  const vector = cpu.exceptionVector;
  const errorCode = cpu.exceptionErrorCode;
  const report = { name: exceptionName(vector), vector, eip: cpu.eip >>> 0, errorCode };
  if (vector === ExceptionVector.PageFault) {
    const faultAddress = mmu.cr2 >>> 0;
    const notPresent = !(errorCode & pageFaultPresentBit);
    // A page still at the node it moved from (copy-on-reference): fetched, the process waits.
    if (notPresent && kernel.net?.migration.remotePages.onPageFault(process, faultAddress)) return;
    if (notPresent && process.isDemandZero(faultAddress)) {
      if (process.faultInPage(faultAddress)) return;
      // A page the process may use but memory cannot back: killed with SIGKILL (137) and
      // "out of memory", as Linux's OOM killer does; no fault of the program's own.
      const reason = outOfMemoryReason(faultAddress, kernel.machine.memoryBytes);
      kernel.killProcess(process, Signal.SIGKILL, undefined, reason);
      return;
    }
    kernel.killProcess(process, Signal.SIGSEGV, { ...report, cr2: faultAddress });
    return;
  }
  kernel.killProcess(process, signalForVector(vector), report);
}

export function handleStrayTrap(kernel: Kernel, process: Process, vector: number): void {
  const cpu = kernel.machine.cpu;
  kernel.machine.chargeCycles(kernelCosts.faultCycles);
  const eip = cpu.eip >>> 0;
  if (vector === ExceptionVector.Breakpoint || vector === ExceptionVector.Overflow) {
    const report = { name: exceptionName(vector), vector, eip, errorCode: 0 };
    kernel.killProcess(process, signalForVector(vector), report);
    return;
  }
  const report = {
    name: exceptionName(ExceptionVector.GeneralProtection),
    vector: ExceptionVector.GeneralProtection,
    eip: (eip - intInstructionBytes) >>> 0,
    errorCode: vector * 8 + 2,
  };
  kernel.killProcess(process, Signal.SIGSEGV, report);
}

// What the kernel reports when a process dies of a CPU exception, and which signal each
// exception means on Linux i386 (so exit statuses match a shell's 128 + signal):
// #DE -> SIGFPE, #UD -> SIGILL, #BP -> SIGTRAP, everything else (#GP, #PF, ...) -> SIGSEGV.

import { hex, hex32 } from "../hex-format.ts";

export interface FaultReport {
  /** The exception's mnemonic, e.g. "#PF". */
  name: string;
  vector: number;
  /** Address of the faulting instruction (for #BP, of the one after int3, as Linux reports). */
  eip: number;
  errorCode: number;
  /** The faulting linear address, for #PF only. */
  cr2?: number;
  /** The last instruction addresses before the fault, oldest first, when asked for. */
  lastEips?: number[];
}

export const Signal = {
  SIGILL: 4,
  SIGTRAP: 5,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
} as const;

export const ExceptionVector = {
  DivideError: 0,
  Debug: 1,
  Breakpoint: 3,
  Overflow: 4,
  InvalidOpcode: 6,
  GeneralProtection: 13,
  PageFault: 14,
} as const;

const exceptionNames: Record<number, readonly [string, string]> = {
  0: ["#DE", "divide error"],
  1: ["#DB", "debug"],
  3: ["#BP", "breakpoint"],
  4: ["#OF", "overflow"],
  5: ["#BR", "bound range exceeded"],
  6: ["#UD", "invalid opcode"],
  7: ["#NM", "device not available"],
  8: ["#DF", "double fault"],
  10: ["#TS", "invalid TSS"],
  11: ["#NP", "segment not present"],
  12: ["#SS", "stack-segment fault"],
  13: ["#GP", "general protection"],
  14: ["#PF", "page fault"],
  16: ["#MF", "x87 floating-point error"],
  17: ["#AC", "alignment check"],
  18: ["#MC", "machine check"],
  19: ["#XM", "SIMD floating-point exception"],
};

export function exceptionName(vector: number): string {
  return exceptionNames[vector]?.[0] ?? `#${vector}`;
}

/** The Linux signal an exception delivers to a user process. */
export function signalForVector(vector: number): number {
  switch (vector) {
    case ExceptionVector.DivideError:
    case 16:
    case 19:
      return Signal.SIGFPE;
    case ExceptionVector.InvalidOpcode:
      return Signal.SIGILL;
    case ExceptionVector.Debug:
    case ExceptionVector.Breakpoint:
      return Signal.SIGTRAP;
    default:
      return Signal.SIGSEGV;
  }
}

/** Reads a #PF error code: access kind, privilege, and cause. */
export function describePageFaultErrorCode(errorCode: number): string {
  const access = errorCode & 0x10 ? "instruction fetch" : errorCode & 2 ? "write" : "read";
  const privilege = errorCode & 4 ? "user" : "supervisor";
  const cause = errorCode & 1 ? "protection violation" : "not present";
  return `${access}, ${privilege}, ${cause}`;
}

/**
 * One line about a fault, e.g. `#PF (page fault) at eip=0x08049012, cr2=0x00000000, error
 * code 0x6 (write, user, not present)`.
 */
export function describeFault(report: FaultReport): string {
  const title = exceptionNames[report.vector]?.[1];
  let line = `${report.name}${title ? ` (${title})` : ""} at eip=${hex32(report.eip)}`;
  if (report.vector === ExceptionVector.PageFault) {
    line += `, cr2=${hex32(report.cr2 ?? 0)}, error code ${hex(report.errorCode)} (${describePageFaultErrorCode(report.errorCode)})`;
  } else if (report.vector === ExceptionVector.GeneralProtection) {
    line += `, error code ${hex(report.errorCode)}`;
  }
  return line;
}

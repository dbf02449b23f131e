// The words a report uses for a process the kernel ended, after "process P (name)": each
// names the cause, so that no end other than a normal exit goes unexplained. A fault's
// words come from describeFault; the other causes are here: kill (naming the killer), out
// of memory (as Linux's OOM killer reports it), a process nothing can ever wake, a write to
// a closed pipe (SIGPIPE, as Linux sends it), and the instruction limit of `sterna exec`.

import { describeFault, type FaultReport } from "./fault-report.ts";

export function faultReason(fault: FaultReport): string {
  return `killed by ${describeFault(fault)}`;
}

/** `killerLabel` is "P (name)"; a process that killed itself is told so. */
export function killedByReason(killerLabel: string, itself: boolean): string {
  return itself ? `killed by itself (kill of its own pid)` : `killed by process ${killerLabel}`;
}

export function outOfMemoryReason(address: number, memoryBytes: number): string {
  const mib = memoryBytes / (1024 * 1024);
  return `killed: out of memory (no free page frame for address 0x${(address >>> 0).toString(16).padStart(8, "0")}; all ${mib} MiB of the machine are in use)`;
}

/** What it was blocked in: "receive", "wait". */
export function neverWakesReason(blockedIn: string): string {
  return `killed: blocked forever in ${blockedIn}, with nothing left that could wake it`;
}

export function brokenPipeReason(): string {
  return "killed by SIGPIPE: it wrote to a pipe whose reader has gone";
}

export function instructionLimitReason(instructionsMax: number): string {
  return `killed: instruction limit of ${instructionsMax} reached`;
}

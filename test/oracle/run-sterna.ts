// Runs an oracle program under sterna (kernel/run-executable.ts) with an instruction cap, so a
// CPU bug that loops forever fails the test instead of hanging it.

import { describeFault } from "../../kernel/faults/fault-report.ts";
import { hex32 } from "../../kernel/hex-format.ts";
import { type ExecResult, runExecutable } from "../../kernel/run-executable.ts";

/** Far above what any oracle program needs (the largest runs a few million instructions). */
export const ORACLE_INSTRUCTIONS_MAX = 300_000_000;

/**
 * Interpretations before a block is compiled: far below the CPU's default, so these short
 * programs run mostly compiled code and check that tier against qemu-i386.
 */
export const ORACLE_COMPILE_THRESHOLD = 4;

export function runUnderSterna(image: Uint8Array, name: string): ExecResult {
  return runExecutable(image, {
    compileThreshold: ORACLE_COMPILE_THRESHOLD,
    argv: [name],
    maxInstructions: ORACLE_INSTRUCTIONS_MAX,
    lastEips: 8,
  });
}

/** One line describing how a run ended, for failure messages. */
export function describeEnd(result: ExecResult): string {
  const parts = [`status ${result.status}`, `${result.instructions} instructions`];
  if (result.instructionLimitReached) parts.push("stopped by the instruction cap");
  if (result.fault) {
    parts.push(describeFault(result.fault));
    const eips = result.fault.lastEips;
    if (eips) parts.push(`last eips ${eips.map(hex32).join(" ")}`);
  }
  return parts.join(", ");
}

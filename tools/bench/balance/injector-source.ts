// The injector's assembly source for one job stream: tools/bench/programs/balance-injector.asm
// followed by its schedule as a data table (arrival ns, node or NODE_ANY, argument string),
// one entry per job in arrival order. The argument is the job's iteration count in decimal,
// its CPU demand divided by the calibrated cost of one iteration of userland/programs/job.asm.

import { readFileSync } from "node:fs";
import { injectorPath } from "./guest-images.ts";
import type { Job } from "./job-stream.ts";

/** spawn's node argument for "the least loaded node" (sterna.inc NODE_ANY). */
export const nodeAny = -1;
/** job.asm takes a 32-bit count. */
const iterationsMax = 0xffff_ffff;

export interface ScheduledJob {
  arrivalNs: number;
  /** A node number, or nodeAny. */
  spawnNode: number;
  iterations: number;
}

/** Iterations of job.asm that take `demandNs` of CPU, at least 1; throws past the maximum. */
export function iterationsFor(demandNs: number, nsPerIteration: number): number {
  const iterations = Math.max(1, Math.round(demandNs / nsPerIteration));
  if (iterations > iterationsMax) {
    throw new RangeError(
      `a job of ${(demandNs / 1e9).toFixed(1)} s needs ${iterations} iterations, more than ${iterationsMax}: lower --clock`,
    );
  }
  return iterations;
}

export function scheduleFor(
  jobs: readonly Job[],
  nsPerIteration: number,
  placeAnywhere: boolean,
): ScheduledJob[] {
  return jobs.map((job) => ({
    arrivalNs: job.arrivalNs,
    spawnNode: placeAnywhere ? nodeAny : job.node,
    iterations: iterationsFor(job.demandNs, nsPerIteration),
  }));
}

/** The schedule as NASM data: JOB_COUNT, the `schedule` table, then the argument strings. */
export function scheduleTable(schedule: readonly ScheduledJob[]): string {
  const lines = ["section .data", `JOB_COUNT equ ${schedule.length}`, "align 4", "schedule:"];
  schedule.forEach((job, index) => {
    lines.push(`    dq ${job.arrivalNs}`, `    dd ${job.spawnNode}, argument_${index}`);
  });
  schedule.forEach((job, index) => {
    lines.push(`argument_${index}: db "${job.iterations}", 0`);
  });
  return `${lines.join("\n")}\n`;
}

export function injectorSource(schedule: readonly ScheduledJob[]): string {
  return `${readFileSync(injectorPath, "utf8")}\n${scheduleTable(schedule)}`;
}

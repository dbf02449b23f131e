// Slowdown figures of one policy's run: each job's response time (exit minus scheduled
// arrival) over its own CPU time, then their mean and 95th percentile (nearest rank).

import type { JobOutcome } from "./run-policy.ts";

export function slowdowns(jobs: readonly JobOutcome[]): number[] {
  return jobs.map((job) => (job.exitNs - job.arrivalNs) / job.cpuNs);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The smallest value with at least `fraction` of the values at or below it. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1]!;
}

// `sterna bench balance`: the load-balancing study of docs/load-balancing.md. One seeded job
// stream (tools/bench/balance/job-stream.ts: Poisson arrivals at random nodes, CPU demands from
// a bounded Pareto law with alpha = 1) is played under each policy:
// - none: every job runs where it arrives;
// - remote: placement at spawn on the least loaded node (NODE_ANY, V-System's prog@*);
// - migrate: placement as remote, plus preemptive migration by the age-based Starter;
// - threshold: jobs arrive where they arrive, the threshold Starter moves them.
// Per policy: mean and 95th-percentile slowdown (response time / CPU time), migrations
// committed and bytes moved, all from the trace in virtual time (the same on every host).
// A policy whose Starter is not in userland/starters yet is named on stderr, not measured.
// Run: npx sterna bench balance [--nodes 8] [--seed 5] [--load 0.7] [--jobs N]
//      [--demand-max S] [--clock MHZ] [--json] [--svg FILE]

import { starterExists } from "./balance/guest-images.ts";
import { scheduleFor } from "./balance/injector-source.ts";
import {
  type BoundedPareto,
  boundedParetoMeanNs,
  type Job,
  jobStream,
  realisedLoad,
} from "./balance/job-stream.ts";
import { type ClusterSetup, calibrateNsPerIteration, runPolicy } from "./balance/run-policy.ts";
import { mean, percentile, slowdowns } from "./balance/slowdown-stats.ts";
import { lineChartSvg } from "./line-chart-svg.ts";

export interface Policy {
  name: string;
  /** Spawn on NODE_ANY (the least loaded node) instead of the arrival node. */
  placeAnywhere: boolean;
  /** The bundled Starter on every node, or none (each kernel's built-in acceptor). */
  starter?: string;
}

export const policies: readonly Policy[] = [
  { name: "none", placeAnywhere: false },
  { name: "remote", placeAnywhere: true },
  { name: "migrate", placeAnywhere: true, starter: "age" },
  { name: "threshold", placeAnywhere: false, starter: "threshold" },
];

/** The least demand: a full load window (100 ticks), so a job outlives the figures about it. */
export const demandMinNs = 1e9;

/** The demand law: alpha 1 (the b/a lifetime law) from 1 s to `demandMaxSeconds`. */
export function demandLaw(demandMaxSeconds: number): BoundedPareto {
  return { alpha: 1, lowerNs: demandMinNs, upperNs: demandMaxSeconds * 1e9 };
}
/** The first arrival comes after 1 s: every kernel has heard some loads by then. */
export const streamStartNs = 1e9;
export const fabric = "token-ring:80";
/** Offered loads of the --svg plot. */
export const plotLoads = [0.5, 0.6, 0.7, 0.8, 0.9] as const;

export interface BalanceBenchOptions {
  nodeCount: number;
  seed: number;
  load: number;
  jobCount: number;
  /** The demand law's upper bound, in seconds. */
  demandMaxSeconds: number;
  /** The policies to measure, by name (all of them when absent). */
  policyNames?: readonly string[];
  clockMhz: number;
  json: boolean;
  svgPath?: string;
  /** A line on stderr: what is not measured, and why. */
  note(line: string): void;
  /** The progress bar: the label of the run under way and its fraction done. */
  progress(label: string, fraction: number): void;
  /** Writes the SVG; returns a problem to report, or undefined. */
  writeSvg?(path: string, text: string): string | undefined;
  /** Writes one line of the result on stdout. */
  print(line: string): void;
}

export interface PolicyFigures {
  policy: string;
  load: number;
  mean_slowdown: number;
  p95_slowdown: number;
  migrations: number;
  bytes_moved: number;
  /** The Starters' CPU time over every node's time: what the policy itself costs. */
  starter_cpu_percent: number;
  /** The stream's demands over nodes x its arrivals' span (job-stream.ts, realisedLoad). */
  realised_load: number;
  /** The same over the span until the last job can end at the earliest. */
  realised_load_to_end: number;
}

export function builtPolicies(): Policy[] {
  return policies.filter((policy) => policy.starter === undefined || starterExists(policy.starter));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function streamFor(options: BalanceBenchOptions, load: number): Job[] {
  return jobStream({
    seed: options.seed,
    nodeCount: options.nodeCount,
    jobCount: options.jobCount,
    load,
    demand: demandLaw(options.demandMaxSeconds),
    startNs: streamStartNs,
  });
}

export async function measurePolicies(
  options: BalanceBenchOptions,
  load: number,
  nsPerIteration: number,
  label: (policy: Policy) => string,
  onFigures: (figures: PolicyFigures) => void,
): Promise<PolicyFigures[]> {
  const setup: ClusterSetup = {
    nodeCount: options.nodeCount,
    clockHz: options.clockMhz * 1e6,
    fabric,
    seed: options.seed,
  };
  const jobs = streamFor(options, load);
  const realised = realisedLoad(jobs, options.nodeCount, streamStartNs);
  const demandNsTotal = jobs.reduce((sum, job) => sum + job.demandNs, 0);
  const figures: PolicyFigures[] = [];
  for (const policy of builtPolicies().filter(
    (each) => options.policyNames?.includes(each.name) ?? true,
  )) {
    options.progress(label(policy), 0);
    const run = await runPolicy(setup, {
      schedule: scheduleFor(jobs, nsPerIteration, policy.placeAnywhere),
      demandNsTotal,
      starter: policy.starter,
      onJobExit: (exited) => options.progress(label(policy), exited / jobs.length),
    });
    const values = slowdowns(run.jobs);
    const row: PolicyFigures = {
      policy: policy.name,
      load,
      mean_slowdown: round3(mean(values)),
      p95_slowdown: round3(percentile(values, 0.95)),
      migrations: run.migrationsCommitted,
      bytes_moved: run.bytesMoved,
      starter_cpu_percent: round3((100 * run.starterCpuNs) / (run.virtualNs * options.nodeCount)),
      realised_load: round3(realised.overArrivals),
      realised_load_to_end: round3(realised.untilLastEnd),
    };
    figures.push(row);
    onFigures(row);
  }
  return figures;
}

/** The --svg chart: mean slowdown against offered load, one line per policy, loads in order. */
export function slowdownChartSvg(
  rows: readonly PolicyFigures[],
  run: { jobCount: number; nodeCount: number; seed: number },
): string {
  const series = new Map<string, [number, number][]>();
  for (const row of [...rows].sort((a, b) => a.load - b.load)) {
    const points = series.get(row.policy) ?? [];
    points.push([row.load, row.mean_slowdown]);
    series.set(row.policy, points);
  }
  return lineChartSvg({
    title: `Mean slowdown, ${run.jobCount} jobs on ${run.nodeCount} nodes (seed ${run.seed})`,
    xLabel: "offered load",
    yLabel: "mean slowdown",
    series: [...series].map(([name, points]) => ({ name, points })),
  });
}

function tableLine(figures: PolicyFigures): string {
  return `${figures.policy.padEnd(10)} ${figures.load.toFixed(2).padStart(4)} ${figures.mean_slowdown.toFixed(2).padStart(13)} ${figures.p95_slowdown.toFixed(2).padStart(13)} ${String(figures.migrations).padStart(11)} ${String(figures.bytes_moved).padStart(12)}`;
}

export async function runBalanceBench(options: BalanceBenchOptions): Promise<void> {
  const missing = policies.filter((policy) => !builtPolicies().includes(policy));
  for (const policy of missing) {
    options.note(
      `${policy.name}: not measured, userland/starters/${policy.starter}.asm is not built yet`,
    );
  }
  const nsPerIteration = await calibrateNsPerIteration(options.clockMhz * 1e6);
  const law = demandLaw(options.demandMaxSeconds);
  if (!options.json) {
    const realised = realisedLoad(
      streamFor(options, options.load),
      options.nodeCount,
      streamStartNs,
    );
    options.print(
      `${options.jobCount} jobs on ${options.nodeCount} nodes, seed ${options.seed}; demands bounded Pareto alpha 1 from ${law.lowerNs / 1e9} s to ${law.upperNs / 1e9} s (mean ${(boundedParetoMeanNs(law) / 1e9).toFixed(2)} s); ${options.clockMhz} MHz nodes on ${fabric}`,
    );
    options.print(
      `offered load ${options.load}: realised ${realised.overArrivals.toFixed(3)} over the arrivals, ${realised.untilLastEnd.toFixed(3)} until the last job can end`,
    );
    options.print("policy     load mean slowdown  p95 slowdown  migrations  bytes moved");
  }
  const printRow = (row: PolicyFigures) =>
    options.print(
      options.json
        ? JSON.stringify({
            bench: "balance",
            ...row,
            nodes: options.nodeCount,
            seed: options.seed,
            jobs: options.jobCount,
            demand_max_s: options.demandMaxSeconds,
          })
        : tableLine(row),
    );
  const figures = await measurePolicies(
    options,
    options.load,
    nsPerIteration,
    (policy) => policy.name,
    printRow,
  );
  if (options.svgPath === undefined) return;
  const rows: PolicyFigures[] = [];
  for (const load of plotLoads) {
    const atLoad =
      load === options.load
        ? figures
        : await measurePolicies(
            options,
            load,
            nsPerIteration,
            (policy) => `${policy.name} at load ${load}`,
            printRow,
          );
    rows.push(...atLoad);
  }
  const svg = slowdownChartSvg(rows, options);
  const problem = options.writeSvg?.(options.svgPath, svg);
  if (problem !== undefined) throw new Error(problem);
}

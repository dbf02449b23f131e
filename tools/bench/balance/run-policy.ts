// One run of `sterna bench balance`: the cluster booted with the injector on node 0 and, for
// the policies that have one, a Starter on every node; the job stream played under one
// policy, and every figure read from the trace: each job's spawn (in schedule order, since
// the injector's spawn blocks until the pid is back), its exit time and CPU time, and the
// migrations' ends. Response = exit time - scheduled arrival; slowdown = response / the job's
// own CPU time, so the calibration of iterations only shapes the demands, never the result.

import { createMedium } from "../../../vm/fabric/create-medium.ts";
import { bootCluster } from "../../cluster/boot-cluster.ts";
import {
  assembleFile,
  assembleImage,
  injectorPath,
  jobSourcePath,
  starterSourcePath,
} from "./guest-images.ts";
import { injectorSource, type ScheduledJob } from "./injector-source.ts";

export interface ClusterSetup {
  nodeCount: number;
  clockHz: number;
  fabric: string;
  seed: number;
}

/** A time slice of 10 ms of virtual time whatever the clock, as the default is at 100 MHz. */
const timeSliceNs = 10_000_000;

function timeSliceCyclesAt(clockHz: number): number {
  return Math.round((clockHz * timeSliceNs) / 1e9);
}
const memoryBytes = 16 * 1024 * 1024;
const injectorName = "balance-injector";
const jobName = "job";

export interface JobOutcome {
  arrivalNs: number;
  spawnNs: number;
  exitNs: number;
  cpuNs: number;
  /** Where it was created, and how many times it moved. */
  spawnNode: number;
  moves: number;
}

export interface PolicyRun {
  jobs: JobOutcome[];
  migrationsCommitted: number;
  migrationsCancelled: number;
  migrationsFailed: number;
  /** Bytes every migration's source sent (migrate-end bytes, whatever the outcome). */
  bytesMoved: number;
  /** Migrations of a process other than a job (the injector). */
  otherMoves: number;
  virtualNs: number;
  /** CPU time of the Starters (every node's), summed. */
  starterCpuNs: number;
  /** Quanta the cluster ran (the host's cost grows with them). */
  quanta: number;
}

interface TraceRecord {
  t: number;
  node: number;
  event: string;
  pid?: string;
  parent?: string;
  name?: string;
  status?: number;
  cpuNs?: number;
  outcome?: string;
  bytes?: number;
}

let jobImage: Uint8Array | undefined;
function job(): Uint8Array {
  jobImage ??= assembleFile(jobSourcePath);
  return jobImage;
}

/** The virtual time a schedule may take: every demand run back to back after the last arrival. */
function untilNsFor(schedule: readonly ScheduledJob[], demandNsTotal: number): number {
  const lastArrivalNs = schedule.length > 0 ? schedule[schedule.length - 1]!.arrivalNs : 0;
  return lastArrivalNs + 2 * demandNsTotal + 60e9;
}

export interface PolicyRunOptions {
  schedule: readonly ScheduledJob[];
  /** The demands' sum, which bounds how long the run may take. */
  demandNsTotal: number;
  /** The bundled Starter to run on every node (userland/starters/NAME.asm), or none. */
  starter?: string;
  /** Called as each job exits, with how many have. */
  onJobExit?(exited: number): void;
}

export async function runPolicy(
  setup: ClusterSetup,
  options: PolicyRunOptions,
): Promise<PolicyRun> {
  const { schedule, demandNsTotal, starter } = options;
  let exited = 0;
  const injector = assembleImage(injectorSource(schedule), injectorPath);
  const jobsByPid = new Map<string, JobOutcome>();
  const jobs: JobOutcome[] = [];
  let injectorPid: string | undefined;
  let bytesMoved = 0;
  let otherMoves = 0;
  const onTrace = (line: string) => {
    // Only the few events the bench reads are parsed.
    if (
      !line.includes('"event":"spawn"') &&
      !line.includes('"event":"exit"') &&
      !line.includes('"event":"migrate-end"')
    ) {
      return;
    }
    const record = JSON.parse(line) as TraceRecord;
    if (record.event === "spawn") {
      if (record.name === injectorName && record.parent === "0.0") injectorPid = record.pid;
      else if (record.name === jobName && record.parent === injectorPid) {
        const index = jobs.length;
        const scheduled = schedule[index];
        if (scheduled === undefined)
          throw new Error("the injector spawned more jobs than scheduled");
        const outcome: JobOutcome = {
          arrivalNs: scheduled.arrivalNs,
          spawnNs: record.t,
          exitNs: Number.NaN,
          cpuNs: Number.NaN,
          spawnNode: record.node,
          moves: 0,
        };
        jobs.push(outcome);
        jobsByPid.set(record.pid!, outcome);
      }
    } else if (record.event === "exit") {
      const outcome = jobsByPid.get(record.pid!);
      if (outcome === undefined) return;
      if (record.status !== 0) throw new Error(`job ${record.pid} exited ${record.status}`);
      outcome.exitNs = record.t;
      outcome.cpuNs = record.cpuNs!;
      options.onJobExit?.(++exited);
    } else {
      bytesMoved += record.bytes ?? 0;
      const outcome = jobsByPid.get(record.pid!);
      if (record.outcome === "committed") {
        if (outcome === undefined) otherMoves++;
        else outcome.moves++;
      }
    }
  };
  const result = await bootCluster({
    nodeCount: setup.nodeCount,
    workers: 1,
    seed: setup.seed,
    medium: createMedium(setup.fabric, { nodeCount: setup.nodeCount, seed: setup.seed }),
    files: [
      { path: injectorName, image: injector },
      { path: jobName, image: job() },
    ],
    runs: [{ path: injectorName, node: 0, argumentText: "" }],
    untilNs: untilNsFor(schedule, demandNsTotal),
    clockHz: setup.clockHz,
    memoryBytes,
    timeSliceCycles: timeSliceCyclesAt(setup.clockHz),
    starter:
      starter === undefined
        ? undefined
        : { path: starter, image: assembleFile(starterSourcePath(starter)) },
    listener: { console: () => {}, report: () => {}, trace: onTrace },
  });
  if (result.exitStatus !== 0) {
    throw new Error(
      `the job stream did not complete (${result.outcome}, status ${result.exitStatus})`,
    );
  }
  if (jobs.length !== schedule.length || jobs.some((outcome) => Number.isNaN(outcome.exitNs))) {
    throw new Error(`${jobs.length} of ${schedule.length} jobs were traced to their exit`);
  }
  return {
    jobs,
    migrationsCommitted: result.migrations.committed,
    migrationsCancelled: result.migrations.cancelled,
    migrationsFailed: result.migrations.failed,
    bytesMoved,
    otherMoves,
    virtualNs: result.virtualNs,
    starterCpuNs: result.processes
      .filter((process) => starter !== undefined && process.name === starter)
      .reduce((sum, process) => sum + process.cpuNs, 0),
    quanta: result.quanta,
  };
}

/**
 * CPU ns per iteration of job.asm at this clock: two single-node runs of n and 2n iterations,
 * so the fixed cost of starting and ending a job cancels out.
 */
export async function calibrateNsPerIteration(clockHz: number): Promise<number> {
  const cpuNsFor = async (iterations: number) => {
    let cpuNs = Number.NaN;
    const result = await bootCluster({
      nodeCount: 1,
      workers: 1,
      seed: 1,
      medium: createMedium("token-ring", { nodeCount: 1, seed: 1 }),
      files: [{ path: jobName, image: job() }],
      runs: [{ path: jobName, node: 0, argumentText: String(iterations) }],
      untilNs: 1000e9,
      clockHz,
      memoryBytes,
      timeSliceCycles: timeSliceCyclesAt(clockHz),
      listener: {
        console: () => {},
        report: () => {},
        trace: (line) => {
          if (line.includes('"event":"exit"')) cpuNs = (JSON.parse(line) as TraceRecord).cpuNs!;
        },
      },
    });
    if (result.exitStatus !== 0 || Number.isNaN(cpuNs))
      throw new Error("the calibration job failed");
    return cpuNs;
  };
  // About a second of CPU at 16 cycles an iteration.
  const iterations = Math.max(1000, Math.round(clockHz / 16));
  return ((await cpuNsFor(2 * iterations)) - (await cpuNsFor(iterations))) / iterations;
}

// Boots one node: a fresh machine and kernel, the cluster file store, the command line's
// programs started as children of the kernel, then runs until every process has ended, the
// time limit passes, or the live processes can never run again (all blocked with no wake-up:
// on one node nothing could ever arrive). Returns what `sterna boot` prints: per process
// status and CPU time, the node's load, and the trace hash. Used by the CLI and the tests.
// Images come in as bytes: assembling sources is the caller's business (kernel/ never
// imports tools/).

import type { ConsoleChannel } from "../../vm/devices/console.ts";
import { Machine } from "../../vm/machine.ts";
import type { FaultReport } from "../faults/fault-report.ts";
import { FileStore } from "../files/file-store.ts";
import { Kernel } from "../kernel.ts";
import type { LoadSnapshot } from "../load/load-sampler.ts";
import { LoadError } from "../loader/load-error.ts";
import type { Pid } from "../process/pid.ts";
import type { Process } from "../process/process.ts";
import { TraceLog } from "../trace/trace-log.ts";

export interface BootFile {
  /** As named on the command line; spawn finds it by base name. */
  path: string;
  image: Uint8Array;
}

export interface BootOptions {
  /** Every file of the store, the --run programs included. */
  files: readonly BootFile[];
  /** Paths (among `files`) to start, in order, as children of the kernel. */
  runs: readonly string[];
  /** Stop when the node's virtual time reaches this; default never. */
  untilNs?: number;
  /** The cluster seed, recorded in the trace (one node uses no randomness yet). */
  seed?: number;
  timeSliceCycles?: number;
  memoryBytes?: number;
  processesMax?: number;
  onOutput?: (channel: ConsoleChannel, bytes: Uint8Array) => void;
  onReport?: (line: string) => void;
  onTraceLine?: (line: string) => void;
}

export interface ProcessSummary {
  pid: Pid;
  name: string;
  /** undefined while still alive when the boot ended. */
  status: number | undefined;
  cpuNs: number;
  /** Started by --run (the exit status of the boot depends on these). */
  fromCommandLine: boolean;
  fault?: FaultReport;
  killed: boolean;
}

/** "exited": every process ended; "time-limit": --until passed first; "deadlock": see top. */
export type BootOutcome = "exited" | "time-limit" | "deadlock";

export interface BootResult {
  outcome: BootOutcome;
  /** Every process, in PID order. */
  processes: ProcessSummary[];
  load: LoadSnapshot;
  virtualNs: number;
  samplingCycles: number;
  cycles: number;
  contextSwitches: number;
  traceHash: string;
  /** 0 when every --run process exited 0; 124 after the time limit; else 1. */
  exitStatus: number;
}

/** The exit status `sterna boot` gives when --until ends the run, as timeout(1) does. */
export const timeLimitExitStatus = 124;

export function bootNode(options: BootOptions): BootResult {
  const machine = new Machine({ memoryBytes: options.memoryBytes });
  const files = new FileStore();
  for (const file of options.files) files.add(file.path, file.image);
  const trace = new TraceLog(0, options.onTraceLine);
  const summaries = new Map<Pid, ProcessSummary>();
  const cyclesToNs = (cycles: number) => Math.round((cycles * 1e9) / machine.clockHz);
  const summarise = (process: Process, alive: boolean) => {
    const summary: ProcessSummary = {
      pid: process.pid,
      name: process.name,
      status: alive ? undefined : process.exitStatus,
      cpuNs: cyclesToNs(kernel.cpuCyclesOf(process)),
      fromCommandLine: summaries.get(process.pid)?.fromCommandLine ?? false,
      killed: process.killed,
    };
    if (process.fault) summary.fault = process.fault;
    summaries.set(process.pid, summary);
  };
  const kernel = new Kernel(machine, {
    files,
    trace,
    timeSliceCycles: options.timeSliceCycles,
    processesMax: options.processesMax,
    onOutput: options.onOutput,
    onReport: options.onReport,
    onProcessEnd: (process) => summarise(process, false),
  });
  trace.record(0, "boot", { nodes: 1, seed: options.seed ?? 0 });
  for (const path of options.runs) {
    const image = files.find(path);
    if (!image) throw new LoadError(`${path}: not in the file store`);
    const created = kernel.createProcess(image, [path], 0);
    if (typeof created === "string") throw new LoadError(`${path}: ${created}`);
    summarise(created, true);
    summaries.get(created.pid)!.fromCommandLine = true;
  }
  const untilNs = options.untilNs ?? Number.POSITIVE_INFINITY;
  const ran = kernel.runUntil(untilNs);
  let outcome: BootOutcome = "exited";
  if (ran === "time-reached") outcome = "time-limit";
  else if (kernel.liveCount > 0) outcome = "deadlock";
  for (const process of kernel.processes.all()) {
    if (process.isAlive) summarise(process, true);
  }
  const processes = [...summaries.values()].sort((a, b) => a.pid - b.pid);
  const commandLineOk = processes.every((p) => !p.fromCommandLine || p.status === 0);
  const exitStatus = outcome === "time-limit" ? timeLimitExitStatus : commandLineOk ? 0 : 1;
  const load = kernel.loadSnapshot();
  trace.record(kernel.nowNs(), "end", { outcome, ...load });
  return {
    outcome,
    processes,
    load,
    virtualNs: kernel.nowNs(),
    samplingCycles: kernel.samplingCycles,
    cycles: machine.cycles,
    contextSwitches: kernel.contextSwitches,
    traceHash: trace.digestHex(),
    exitStatus,
  };
}

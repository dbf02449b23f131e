// Boots one node: a fresh machine and kernel, the cluster file store, the command line's
// programs started as children of the kernel, then runs until every process has ended, the
// time limit passes, or the live processes can never run again (all blocked with no wake-up:
// on one node nothing could ever arrive). Returns what `sterna boot` prints: per process
// status and CPU time, the node's load, and the trace hash. Used by the CLI and the tests.
// Images come in as bytes: assembling sources is the caller's business (kernel/ never
// imports tools/).

import type { ConsoleChannel } from "../../vm/devices/console.ts";
import { Machine } from "../../vm/machine.ts";
import { FileStore } from "../files/file-store.ts";
import { Kernel } from "../kernel.ts";
import type { LoadSnapshot } from "../load/load-sampler.ts";
import { LoadError } from "../loader/load-error.ts";
import type { Pid } from "../process/pid.ts";
import { TraceLog } from "../trace/trace-log.ts";
import type { BootFile } from "./node-entry.ts";
import { ProcessSummaries, type ProcessSummary } from "./process-summary.ts";

export type { BootFile, ProcessSummary };

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
  const summaries = new ProcessSummaries();
  const commandLinePids = new Set<Pid>();
  const kernel = new Kernel(machine, {
    files,
    trace,
    timeSliceCycles: options.timeSliceCycles,
    processesMax: options.processesMax,
    onOutput: options.onOutput,
    onReport: options.onReport,
    onProcessEnd: (process) => summaries.record(kernel, process, false),
  });
  trace.record(0, "boot", { nodes: 1, seed: options.seed ?? 0 });
  for (const path of options.runs) {
    const image = files.find(path);
    if (!image) throw new LoadError(`${path}: not in the file store`);
    const created = kernel.createProcess(image, [path], 0);
    if (typeof created === "string") throw new LoadError(`${path}: ${created}`);
    commandLinePids.add(created.pid);
  }
  const untilNs = options.untilNs ?? Number.POSITIVE_INFINITY;
  const ran = kernel.runUntil(untilNs);
  let outcome: BootOutcome = "exited";
  if (ran === "time-reached") outcome = "time-limit";
  else if (kernel.liveCount > 0) outcome = "deadlock";
  const processes = summaries
    .all(kernel)
    .map((summary) => ({ ...summary, fromCommandLine: commandLinePids.has(summary.pid) }));
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

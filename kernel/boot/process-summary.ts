// What a boot reports of each process: status, CPU time, node and how it ended. Collected by
// the node the process ran on, when it ends (and for the live ones when the run ends), as
// plain records that cross worker threads.

import type { FaultReport } from "../faults/fault-report.ts";
import type { Kernel } from "../kernel.ts";
import type { Pid } from "../process/pid.ts";
import type { Process } from "../process/process.ts";

export interface ProcessSummary {
  pid: Pid;
  name: string;
  /** The node it ran on last. */
  node: number;
  /** undefined while still alive when the boot ended. */
  status: number | undefined;
  cpuNs: number;
  /** Started by --run (the exit status of the boot depends on these); set by the cluster. */
  fromCommandLine: boolean;
  fault?: FaultReport;
  killed: boolean;
  /** Lost when its node crashed (--crash): status 137. */
  lostInCrash?: boolean;
}

/** Keeps one summary per process of a node, updated when a process ends. */
export class ProcessSummaries {
  private readonly byPid = new Map<Pid, ProcessSummary>();

  record(kernel: Kernel, process: Process, alive: boolean): void {
    const summary: ProcessSummary = {
      pid: process.pid,
      name: process.name,
      node: kernel.homeNode,
      status: alive ? undefined : process.exitStatus,
      cpuNs: Math.round((kernel.cpuCyclesOf(process) * 1e9) / kernel.machine.clockHz),
      fromCommandLine: false,
      killed: process.killed,
    };
    if (process.fault) summary.fault = process.fault;
    this.byPid.set(process.pid, summary);
  }

  /** Marks a process already recorded as lost in its node's crash. */
  markLost(pid: Pid): void {
    const summary = this.byPid.get(pid);
    if (summary) summary.lostInCrash = true;
  }

  /** Every process recorded so far, by pid (a crashed node has no live ones to add). */
  recorded(): ProcessSummary[] {
    return [...this.byPid.values()].sort((a, b) => a.pid - b.pid);
  }

  /** Every process the node knows, the live ones recorded as they are now, by pid. */
  all(kernel: Kernel): ProcessSummary[] {
    for (const process of kernel.processes.all()) {
      if (process.isAlive) this.record(kernel, process, true);
    }
    return [...this.byPid.values()].sort((a, b) => a.pid - b.pid);
  }
}

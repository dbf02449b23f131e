// The software of one cluster node, as vm/cluster boots it (vm/cluster/node-software.ts): a
// kernel on the node's machine, joined to the cluster through its NIC (kernel/net). Node 0
// holds the file store (the command line's files) and places the --run programs, as spawn
// does: on a node number, or on any node by asking the kernels for their load. Everything
// the node tells the cluster goes through `outputs` or its summary: plain values and bytes.

import type {
  NodeBootConfig,
  NodeOutputs,
  NodeSoftware,
  NodeStatus,
} from "../../vm/cluster/node-software.ts";
import type { Machine } from "../../vm/machine.ts";
import { SeededRandom } from "../../vm/random/seeded-random.ts";
import { FileStore } from "../files/file-store.ts";
import { Kernel } from "../kernel.ts";
import type { LoadSnapshot } from "../load/load-sampler.ts";
import type { MigrationCounters } from "../migrate/migration-service.ts";
import type { ScriptedMigration } from "../migrate/scripted-orders.ts";
import { NicFramePort } from "../net/nic-frame-port.ts";
import type { NetworkCounters } from "../net/node-network.ts";
import { fileStoreNode, NodeNetwork } from "../net/node-network.ts";
import type { TransportCounters } from "../net/transport.ts";
import { pidNone } from "../process/pid.ts";
import { TraceLog } from "../trace/trace-log.ts";
import { ProcessSummaries, type ProcessSummary } from "./process-summary.ts";

export interface BootFile {
  /** As named on the command line; spawn finds it by base name. */
  path: string;
  image: Uint8Array;
}

/** A --run program: where to start it (a node, or -1 for any) and its argument string. */
export interface RunSpec {
  path: string;
  node: number;
  argumentText: string;
}

/** The kernel's part of NodeBootConfig.options. */
export interface KernelNodeOptions {
  /** The file store; only node 0's copy is used (the others fetch images from it). */
  files: readonly BootFile[];
  runs: readonly RunSpec[];
  timeSliceCycles?: number;
  processesMax?: number;
  /** --migrate orders; node 0 carries them out. */
  migrations?: readonly ScriptedMigration[];
  /** --starter PROG: every node runs it as its Starter, pid NODE.1, before anything else. */
  starter?: BootFile;
}

/** The scheduling level of Starters (docs/kernel.md §3): policy is not delayed by load. */
export const starterPriority = 2;

export interface NodeSummary {
  node: number;
  processes: ProcessSummary[];
  load: LoadSnapshot;
  virtualNs: number;
  contextSwitches: number;
  network: NetworkCounters;
  transport: TransportCounters;
  migrations: MigrationCounters;
  /** Where each --run program went (node 0 only), in command-line order: pid or -errno. */
  runResults: number[];
}

export function createNodeSoftware(
  machine: Machine,
  config: NodeBootConfig,
  outputs: NodeOutputs,
): NodeSoftware {
  const options = config.options as KernelNodeOptions;
  const files = new FileStore();
  if (config.node === fileStoreNode) {
    for (const file of options.files) files.add(file.path, file.image);
  }
  const summaries = new ProcessSummaries();
  const trace = new TraceLog(config.node, (line, timeNs) => outputs.trace(line, timeNs));
  const kernel: Kernel = new Kernel(machine, {
    homeNode: config.node,
    nodeCount: config.nodeCount,
    files,
    trace,
    idleUntilLimit: true,
    timeSliceCycles: options.timeSliceCycles,
    processesMax: options.processesMax,
    onOutput: (channel, bytes, pid) =>
      outputs.console({ atNs: kernel.nowNs(), pid, channel, bytes: bytes.slice() }),
    onReport: (line) => outputs.report(line, kernel.nowNs()),
    onProcessEnd: (process) => summaries.record(kernel, process, false),
  });
  const random = new SeededRandom(config.seed).fork(`kernel/${config.node}`);
  const network = new NodeNetwork(
    kernel,
    new NicFramePort(
      machine.nic,
      () => kernel.nowNs(),
      (event, fields) => kernel.traceEvent(event, fields),
    ),
    {
      random: () => random.nextUint32(),
      script: config.node === fileStoreNode ? options.migrations : [],
    },
  );
  kernel.attachNetwork(network);
  trace.record(0, "boot", { nodes: config.nodeCount, seed: config.seed });
  if (options.starter) {
    const starter = kernel.createProcess(options.starter.image, [options.starter.path], pidNone);
    if (typeof starter === "string") {
      outputs.report(`--starter ${options.starter.path}: ${starter}`, 0);
    } else {
      starter.priority = starterPriority;
      kernel.scheduler.remove(starter.pid);
      kernel.scheduler.makeReady(starter.pid, starterPriority);
      kernel.starterPid = starter.pid;
    }
  }

  const runResults: number[] = [];
  /** --run programs still being placed: the run lasts while any is. */
  let runsPending = 0;
  if (config.node === fileStoreNode) {
    options.runs.forEach((run, index) => {
      runResults.push(0);
      runsPending++;
      const order = {
        parentPid: pidNone,
        inJob: true,
        path: run.path,
        argumentText: run.argumentText,
      };
      network.spawn(order, run.node, (result) => {
        runResults[index] = result;
        runsPending--;
        if (result < 0) {
          outputs.report(`--run ${run.path}: spawn failed (${result})`, kernel.nowNs());
        }
      });
    });
  }

  return {
    runUntil(untilNs: number): void {
      kernel.runUntil(untilNs);
    },
    status(): NodeStatus {
      return {
        liveJobs: kernel.liveJobCount + runsPending,
        canProgress:
          kernel.current !== undefined ||
          kernel.scheduler.readyCount > 0 ||
          kernel.wakeups.size > 0 ||
          network.busy,
        runnable: kernel.current !== undefined || kernel.scheduler.readyCount > 0,
        nextEventNs: kernel.nextEventNs(),
      };
    },
    progress() {
      return {
        loadPermille: kernel.loadSnapshot().loadPermille,
        processes: kernel.liveCount,
        messages: network.counters.remoteSends,
        frames: network.transport.counters.framesSent,
      };
    },
    finish(outcome: string): NodeSummary {
      const load = kernel.loadSnapshot();
      trace.record(kernel.nowNs(), "end", { outcome, ...load });
      // A process whose state is on its way to another node is still alive here.
      for (const process of network.migration.source.detached()) {
        summaries.record(kernel, process, true);
      }
      return {
        node: config.node,
        processes: summaries.all(kernel),
        load,
        virtualNs: kernel.nowNs(),
        contextSwitches: kernel.contextSwitches,
        network: network.counters,
        transport: network.transport.counters,
        migrations: network.migration.counters,
        runResults,
      };
    },
  };
}

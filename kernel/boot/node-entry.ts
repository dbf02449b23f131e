// The software of one cluster node, as vm/cluster boots it (vm/cluster/node-software.ts): a
// kernel on the node's machine, joined to the cluster through its NIC (kernel/net). Node 0
// holds the file store (the command line's files) and places the --run programs, as spawn
// does: on a node number, or on any node by asking the kernels for their load. Everything
// the node tells the cluster goes through `outputs` or its summary: plain values and bytes.
// A node with a crash schedule (node-faults.ts) stops its kernel at each crash and boots a
// fresh one at each restart; the cluster sees only a node with nothing to run meanwhile.

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
import type { DeliveryMethod } from "../migrate/delivery-method.ts";
import type { MemoryStrategy } from "../migrate/memory-strategy.ts";
import type { MigrationProbe } from "../migrate/migration-probe.ts";
import { type MigrationCounters, zeroMigrationCounters } from "../migrate/migration-service.ts";
import type { ScriptedMigration } from "../migrate/scripted-orders.ts";
import { NicFramePort } from "../net/nic-frame-port.ts";
import type { NetworkCounters } from "../net/node-network.ts";
import {
  fileStoreNode,
  lostWithNodeStatus,
  NodeNetwork,
  watchPeriodNs,
} from "../net/node-network.ts";
import type { TransportCounters } from "../net/transport.ts";
import { formatPid, pidNone } from "../process/pid.ts";
import { type Process, ProcessState } from "../process/process.ts";
import { TraceLog } from "../trace/trace-log.ts";
import { crashMachine, type NodeFault, NodeFaultKind, passCrashedTime } from "./node-faults.ts";
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
  /** This node's --crash and --restart times, sorted (node-faults.ts). */
  faults?: readonly NodeFault[];
  /** Some node may crash or be cut off: kernels probe the nodes of their remote children. */
  watchPeers?: boolean;
  /** Tests only: instrumentation of the migration protocol, on every node. */
  migrationProbe?: MigrationProbe;
  /** --strategy: how every node moves the memory of a process leaving it. */
  strategy?: MemoryStrategy;
  /** --delivery: how messages reach a process leaving any node. */
  delivery?: DeliveryMethod;
}

/**
 * How long a crashed node still counts as "something may happen" for the cluster's end
 * condition: long enough for its peers' next probe to go out, which keeps them busy until the
 * transport declares the node failed.
 */
const crashNewsNs = 2 * watchPeriodNs;
/** Processes a crash report names, at most. */
const crashReportNamesMax = 8;

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
  const faults = options.faults ?? [];
  let nextFault = 0;
  let epoch = 0;
  /** When the node crashed, while it is down; undefined while it runs. */
  let crashedAtNs: number | undefined;
  /** Migration counts of earlier lives, for the summary. */
  const earlierMigrations = zeroMigrationCounters();

  /** A kernel and its network on the machine: the node's first life, or one after a restart. */
  function boot(): { kernel: Kernel; network: NodeNetwork } {
    const kernel: Kernel = new Kernel(machine, {
      homeNode: config.node,
      nodeCount: config.nodeCount,
      epoch,
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
    const random = new SeededRandom(config.seed).fork(
      epoch === 0 ? `kernel/${config.node}` : `kernel/${config.node}/${epoch}`,
    );
    const network = new NodeNetwork(
      kernel,
      new NicFramePort(
        machine.nic,
        () => kernel.nowNs(),
        (event, fields) => kernel.traceEvent(event, fields),
      ),
      {
        random: () => random.nextUint32(),
        script: config.node === fileStoreNode && epoch === 0 ? options.migrations : [],
        watchPeers: options.watchPeers,
        incarnation: epoch,
        migrationProbe: options.migrationProbe,
        migrationStrategy: options.strategy,
        migrationDelivery: options.delivery,
      },
    );
    kernel.attachNetwork(network);
    if (options.starter) {
      const starter = kernel.createProcess(options.starter.image, [options.starter.path], pidNone);
      if (typeof starter === "string") {
        outputs.report(`--starter ${options.starter.path}: ${starter}`, kernel.nowNs());
      } else {
        starter.priority = starterPriority;
        kernel.scheduler.remove(starter.pid);
        kernel.scheduler.makeReady(starter.pid, starterPriority);
        kernel.starterPid = starter.pid;
      }
    }
    return { kernel, network };
  }

  trace.record(0, "boot", { nodes: config.nodeCount, seed: config.seed });
  let { kernel, network } = boot();

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

  /** The first few processes' labels, for a report line. */
  function namesOf(processes: readonly Process[]): string {
    const names = processes
      .slice(0, crashReportNamesMax)
      .map((process) => kernel.label(process))
      .join(", ");
    const more =
      processes.length > crashReportNamesMax
        ? ` and ${processes.length - crashReportNamesMax} more`
        : "";
    return `${names}${more}`;
  }

  /** Stops the node at `atNs`: every process here ends, the machine forgets, the NIC falls silent. */
  function crash(atNs: number): void {
    kernel.runUntil(atNs);
    const lost = [...kernel.processes.all()].filter((process) => process.isAlive);
    // A process whose state has left for its destination, which has not confirmed: lost unless
    // the destination completes it (then the destination's record of it replaces this one, and
    // a destination that never does reports it lost).
    const leaving = [...network.migration.source.detached()];
    // Its migrations under way end here, failed: nothing will end them later.
    network.migration.source.endAtCrash();
    // Named at the crash: the home reports a holder's failure only once it is detected (4.5 s
    // on Ethernet), which a short run never reaches.
    const links = network.migration.links.heldLinks();
    for (const process of [...lost, ...leaving]) {
      process.exitStatus = lostWithNodeStatus;
      process.killed = true;
      process.state = ProcessState.Exited;
      summaries.record(kernel, process, false);
      summaries.markLost(process.pid);
    }
    for (const [key, value] of Object.entries(network.migration.counters)) {
      earlierMigrations[key as keyof MigrationCounters] += value;
    }
    const nowNs = kernel.nowNs();
    crashMachine(machine);
    crashedAtNs = nowNs;
    const fields: Record<string, number> = { epoch, lost: lost.length };
    if (leaving.length > 0) fields.leaving = leaving.length;
    if (links.length > 0) fields.linksLost = links.length;
    trace.record(nowNs, "crash", fields);
    const leavingText =
      leaving.length > 0
        ? `; ${leaving.length} on its way to another node, lost unless it arrives: ${namesOf(leaving)}`
        : "";
    const linksText =
      links.length > 0
        ? `; forwarding links lost: ${links
            .slice(0, crashReportNamesMax)
            .map((link) => `${formatPid(link.pid)} (now on node ${link.toNode})`)
            .join(
              ", ",
            )}${links.length > crashReportNamesMax ? ` and ${links.length - crashReportNamesMax} more` : ""}`
        : "";
    outputs.report(
      `crashed (--crash): ${lost.length} process(es) lost${lost.length > 0 ? `: ${namesOf(lost)}` : ""}${leavingText}${linksText}`,
      nowNs,
    );
    if (runsPending > 0) {
      outputs.report(`${runsPending} --run program(s) lost before they started`, nowNs);
      runsPending = 0;
    }
  }

  /** Boots the node again at `atNs` with the next epoch; it tells every node it is back. */
  function restart(atNs: number): void {
    passCrashedTime(machine, atNs);
    epoch++;
    crashedAtNs = undefined;
    machine.nic.powerOn();
    trace.record(atNs, "restart", { epoch });
    ({ kernel, network } = boot());
    network.announceRestart();
  }

  /** The time of the next crash or restart, Infinity when none is left. */
  function nextFaultNs(): number {
    return faults[nextFault]?.atNs ?? Number.POSITIVE_INFINITY;
  }

  return {
    runUntil(untilNs: number): void {
      while (nextFaultNs() < untilNs) {
        const fault = faults[nextFault++]!;
        if (fault.kind === NodeFaultKind.Crash) crash(fault.atNs);
        else restart(fault.atNs);
      }
      if (crashedAtNs === undefined) kernel.runUntil(untilNs);
      else passCrashedTime(machine, untilNs);
    },
    status(into: NodeStatus): void {
      if (crashedAtNs !== undefined) {
        // Down: nothing runs here, but a restart is due, or the peers have yet to notice.
        const newsEndNs = crashedAtNs + crashNewsNs;
        const nowNs = kernel.nowNs();
        into.liveJobs = 0;
        into.canProgress = nextFault < faults.length || nowNs < newsEndNs;
        into.runnable = false;
        into.nextEventNs = Math.min(nextFaultNs(), nowNs < newsEndNs ? newsEndNs : Infinity);
        return;
      }
      // A pre-copy whose process ended keeps the run going until its outcome is known.
      into.liveJobs = kernel.liveJobCount + runsPending + network.migration.source.closingCount;
      into.canProgress =
        kernel.current !== undefined ||
        kernel.scheduler.readyCount > 0 ||
        kernel.wakeups.size > 0 ||
        network.busy ||
        nextFault < faults.length;
      into.runnable = kernel.current !== undefined || kernel.scheduler.readyCount > 0;
      into.nextEventNs = Math.min(kernel.nextEventNs(), nextFaultNs());
    },
    progress() {
      return {
        loadPermille: kernel.loadSnapshot().loadPermille,
        processes: crashedAtNs === undefined ? kernel.liveCount : 0,
        messages: network.counters.remoteSends,
        frames: network.transport.counters.framesSent,
      };
    },
    finish(outcome: string): NodeSummary {
      const load = kernel.loadSnapshot();
      // A --migrate by name whose query was not answered when the run ended never started: said
      // in the trace (and the summary), counted nowhere.
      if (crashedAtNs === undefined) {
        for (const order of network.migration.orders.unsettled()) {
          trace.record(kernel.nowNs(), "migrate-unstarted", {
            pid: order.name,
            to: order.toNode,
            why: `the run ended before node(s) ${order.pending.join(",")} answered its name query`,
          });
        }
      }
      trace.record(kernel.nowNs(), "end", { outcome, ...load });
      // A process whose state is on its way to another node is still alive here.
      if (crashedAtNs === undefined) {
        for (const process of network.migration.source.detached()) {
          summaries.record(kernel, process, true);
        }
      }
      // A node down at the end added its last life's counts to earlierMigrations at the crash.
      const migrations =
        crashedAtNs === undefined ? { ...network.migration.counters } : zeroMigrationCounters();
      for (const [key, value] of Object.entries(earlierMigrations)) {
        migrations[key as keyof MigrationCounters] += value;
      }
      return {
        node: config.node,
        processes: crashedAtNs === undefined ? summaries.all(kernel) : summaries.recorded(),
        load,
        virtualNs: kernel.nowNs(),
        contextSwitches: kernel.contextSwitches,
        network: network.counters,
        transport: network.transport.counters,
        migrations,
        runResults,
      };
    },
  };
}

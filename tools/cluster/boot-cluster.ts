// Boots a sterna cluster with the kernel on every node and runs it: the composition of
// vm/cluster (quanta, workers), vm/fabric (the medium and its faults) and kernel/boot's node
// entry, for `sterna boot`, the cluster benchmark and the tests. Returns what the CLI prints:
// the outcome, every process with its node and status, each node's load and counters, the
// trace hash and the exit status.

import { timeLimitExitStatus } from "../../kernel/boot/boot-node.ts";
import type {
  BootFile,
  KernelNodeOptions,
  NodeSummary,
  RunSpec,
} from "../../kernel/boot/node-entry.ts";
import type { NodeFault } from "../../kernel/boot/node-faults.ts";
import type { ProcessSummary } from "../../kernel/boot/process-summary.ts";
import type { DeliveryMethod } from "../../kernel/migrate/delivery-method.ts";
import type { MemoryStrategy } from "../../kernel/migrate/memory-strategy.ts";
import type { MigrationProbe } from "../../kernel/migrate/migration-probe.ts";
import type { ScriptedMigration } from "../../kernel/migrate/scripted-orders.ts";
import { type ClusterListener, type ClusterOutcome, runCluster } from "../../vm/cluster/cluster.ts";
import { runtimeModuleUrl } from "../../vm/cluster/module-location.ts";
import { startNodeGroups } from "../../vm/cluster/node-groups.ts";
import type { Medium } from "../../vm/fabric/medium.ts";

export const nodeEntryUrl = runtimeModuleUrl(
  import.meta.url,
  "../../kernel/boot/node-entry.ts",
  "node-entry",
).href;

export interface ClusterBootOptions {
  nodeCount: number;
  workers: number;
  seed: number;
  medium: Medium;
  files: readonly BootFile[];
  runs: readonly RunSpec[];
  untilNs: number;
  clockHz: number;
  memoryBytes: number;
  timeSliceCycles?: number;
  /** Process table size of every node (tests); default processesPerNodeMax. */
  processesMax?: number;
  /** --migrate orders, carried out by node 0's kernel. */
  migrations?: readonly ScriptedMigration[];
  /** --starter PROG: every node's Starter (its image goes to every node). */
  starter?: BootFile;
  /** --crash and --restart, by node, each sorted by time (kernel/boot/node-faults.ts). */
  nodeFaults?: readonly (readonly NodeFault[])[];
  /** Kernels probe the nodes of their remote children (on when a node may crash or be cut off). */
  watchPeers?: boolean;
  /** Tests only: instrumentation of the migration protocol. */
  migrationProbe?: MigrationProbe;
  /** --strategy: how every node moves a leaving process's memory; default direct copy. */
  strategy?: MemoryStrategy;
  /** --delivery: how messages reach a moving process; default prevent (the link update). */
  delivery?: DeliveryMethod;
  listener: ClusterListener;
}

/** The summary's `migrations:` line, summed over the nodes. */
export interface MigrationTotals {
  committed: number;
  cancelled: number;
  failed: number;
}

/** The summary's `migration messages:` line, summed over the nodes. */
export interface DeliveryTotals {
  /** Messages passed on for moving or moved processes, dropped at a source, resent. */
  forwarded: number;
  dropped: number;
  resent: number;
  /** Forwarding links left on nodes a process left (redirect), and those that have ended. */
  linksLeft: number;
  linksEnded: number;
}

export interface ClusterBootResult {
  outcome: ClusterOutcome;
  virtualNs: number;
  traceHash: string;
  quanta: number;
  nodes: NodeSummary[];
  /** Every process of every node, by pid, the --run ones marked. */
  processes: ProcessSummary[];
  /** Per --run program: its pid, or -errno when it could not be started. */
  runResults: number[];
  migrations: MigrationTotals;
  delivery: DeliveryTotals;
  /** 0 when every --run process exited 0; 124 after the time limit; else 1. */
  exitStatus: number;
}

export async function bootCluster(options: ClusterBootOptions): Promise<ClusterBootResult> {
  const kernelOptions: KernelNodeOptions = {
    files: options.files,
    runs: options.runs,
    timeSliceCycles: options.timeSliceCycles,
    processesMax: options.processesMax,
    migrations: options.migrations ?? [],
    starter: options.starter,
    watchPeers: options.watchPeers,
    migrationProbe: options.migrationProbe,
    strategy: options.strategy,
    delivery: options.delivery,
  };
  const groups = await startNodeGroups({
    nodeCount: options.nodeCount,
    workers: options.workers,
    softwareModuleUrl: nodeEntryUrl,
    bootConfig: (node) => ({
      node,
      nodeCount: options.nodeCount,
      seed: options.seed,
      // Only the file store's node needs the files; the others fetch images over the fabric.
      options: {
        ...kernelOptions,
        ...(node === 0 ? {} : { files: [], runs: [] }),
        faults: options.nodeFaults?.[node] ?? [],
      },
    }),
    machineConfig: () => ({ clockHz: options.clockHz, memoryBytes: options.memoryBytes }),
  });
  try {
    const run = await runCluster({
      nodeCount: options.nodeCount,
      medium: options.medium,
      groups,
      untilNs: options.untilNs,
      listener: options.listener,
    });
    const nodes = run.summaries as NodeSummary[];
    const runResults = nodes[0]!.runResults;
    const runPids = new Set(runResults.filter((result) => result > 0));
    const processes = withoutSupersededLosses(nodes.flatMap((node) => node.processes))
      .map((process) => ({ ...process, fromCommandLine: runPids.has(process.pid) }))
      .sort((a, b) => a.pid - b.pid);
    const runsOk =
      runResults.every((result) => result > 0) &&
      processes.every((process) => !process.fromCommandLine || process.status === 0);
    const exitStatus = run.outcome === "time-limit" ? timeLimitExitStatus : runsOk ? 0 : 1;
    const migrations: MigrationTotals = { committed: 0, cancelled: 0, failed: 0 };
    const delivery: DeliveryTotals = {
      forwarded: 0,
      dropped: 0,
      resent: 0,
      linksLeft: 0,
      linksEnded: 0,
    };
    for (const node of nodes) {
      migrations.committed += node.migrations.committed;
      migrations.cancelled += node.migrations.cancelled;
      migrations.failed += node.migrations.failed;
      delivery.forwarded += node.migrations.messagesForwarded;
      delivery.dropped += node.migrations.messagesDropped;
      delivery.resent += node.migrations.messagesResent;
      delivery.linksLeft += node.migrations.linksLeft;
      delivery.linksEnded += node.migrations.linksEnded;
    }
    return {
      outcome: run.outcome,
      virtualNs: run.virtualNs,
      traceHash: run.traceHash,
      quanta: run.quanta,
      nodes,
      processes,
      runResults,
      migrations,
      delivery,
      exitStatus,
    };
  } finally {
    await Promise.all(groups.map((group) => group.close()));
  }
}

/**
 * A process counted lost by its migration's source, which crashed while the state was on its way
 * out, that its destination installed after all: the destination's record is the true one.
 */
function withoutSupersededLosses(processes: ProcessSummary[]): ProcessSummary[] {
  const livedOn = new Set(processes.filter((p) => !p.lostInCrash).map((p) => p.pid));
  return processes.filter((p) => !p.lostInCrash || !livedOn.has(p.pid));
}

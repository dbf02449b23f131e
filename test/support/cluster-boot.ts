// Test helper: boots a cluster of kernels through tools/cluster/boot-cluster.ts (the path
// `sterna boot` takes) with guests given as assembly sources, and collects guest output,
// kernel reports, trace lines and the result.

import type { RunSpec } from "../../kernel/boot/node-entry.ts";
import { type NodeFault, NodeFaultKind } from "../../kernel/boot/node-faults.ts";
import type { DeliveryMethod } from "../../kernel/migrate/delivery-method.ts";
import type { MemoryStrategy } from "../../kernel/migrate/memory-strategy.ts";
import type { MigrationProbe } from "../../kernel/migrate/migration-probe.ts";
import type { ScriptedMigration } from "../../kernel/migrate/scripted-orders.ts";
import { bootCluster, type ClusterBootResult } from "../../tools/cluster/boot-cluster.ts";
import { createMedium } from "../../vm/fabric/create-medium.ts";
import { assembleGuest } from "../unit/node/boot-guests.ts";

export interface ClusterBootCase {
  nodes: number;
  fabric?: string;
  seed?: number;
  workers?: number;
  /** File name -> assembly source; spawn finds them by these names. */
  sources: Record<string, string>;
  runs: RunSpec[];
  untilNs?: number;
  loss?: number;
  dup?: number;
  corrupt?: number;
  migrations?: ScriptedMigration[];
  processesMax?: number;
  /** A file name among `sources`: every node's Starter. */
  starter?: string;
  partitions?: { fromNs: number; durationNs: number; nodes: number[] }[];
  migrationProbe?: MigrationProbe;
  /** --strategy: how every node moves a leaving process's memory; default direct copy. */
  strategy?: MemoryStrategy;
  /** --delivery: how messages reach a moving process; default prevent. */
  delivery?: DeliveryMethod;
  /** --crash TIME:NODE, as many as given. */
  crashes?: NodeFaultTime[];
  /** --restart TIME:NODE. */
  restarts?: NodeFaultTime[];
  /** Kernels probe their remote children's nodes; by default on with a crash or a partition, as the CLI does. */
  watchPeers?: boolean;
}

export interface NodeFaultTime {
  atNs: number;
  node: number;
}

/** One sorted crash and restart schedule per node, as the CLI builds it from --crash and --restart. */
function nodeFaultSchedules(spec: ClusterBootCase): NodeFault[][] {
  const schedules = Array.from({ length: spec.nodes }, (): NodeFault[] => []);
  for (const crash of spec.crashes ?? []) {
    schedules[crash.node]!.push({ atNs: crash.atNs, kind: NodeFaultKind.Crash });
  }
  for (const restart of spec.restarts ?? []) {
    schedules[restart.node]!.push({ atNs: restart.atNs, kind: NodeFaultKind.Restart });
  }
  for (const schedule of schedules) schedule.sort((a, b) => a.atNs - b.atNs || a.kind - b.kind);
  return schedules;
}

export interface ClusterBootRun {
  result: ClusterBootResult;
  stdout: string;
  stdoutBytes: Uint8Array;
  stderr: string;
  stderrBytes: Uint8Array;
  reports: string[];
  trace: string[];
}

export async function bootClusterCase(spec: ClusterBootCase): Promise<ClusterBootRun> {
  const files = Object.entries(spec.sources).map(([path, source]) => ({
    path,
    image: assembleGuest(source, path),
  }));
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const reports: string[] = [];
  const trace: string[] = [];
  const seed = spec.seed ?? 1;
  const medium = createMedium(spec.fabric ?? "token-ring:80", {
    nodeCount: spec.nodes,
    seed,
    faults: {
      lossRate: spec.loss,
      duplicateRate: spec.dup,
      corruptRate: spec.corrupt,
      partitions: spec.partitions,
    },
  });
  const result = await bootCluster({
    nodeCount: spec.nodes,
    workers: spec.workers ?? 1,
    seed,
    medium,
    files,
    runs: spec.runs,
    migrations: spec.migrations,
    processesMax: spec.processesMax,
    starter: files.find((file) => file.path === spec.starter),
    migrationProbe: spec.migrationProbe,
    strategy: spec.strategy,
    delivery: spec.delivery,
    nodeFaults: nodeFaultSchedules(spec),
    watchPeers:
      spec.watchPeers ?? ((spec.crashes?.length ?? 0) > 0 || (spec.partitions?.length ?? 0) > 0),
    untilNs: spec.untilNs ?? 60e9,
    clockHz: 100e6,
    memoryBytes: 16 * 1024 * 1024,
    listener: {
      console: (record) => (record.channel === 0 ? out : err).push(record.bytes),
      trace: (line) => trace.push(line),
      report: (line, node) => reports.push(`node ${node}: ${line}`),
    },
  });
  const stdoutBytes = new Uint8Array(Buffer.concat(out));
  const stderrBytes = new Uint8Array(Buffer.concat(err));
  return {
    result,
    stdout: new TextDecoder().decode(stdoutBytes),
    stdoutBytes,
    stderr: new TextDecoder().decode(stderrBytes),
    stderrBytes,
    reports,
    trace,
  };
}

// Spreads the cluster's nodes over W groups of contiguous node numbers: the first block runs
// in the coordinator's own thread, each other block in a worker thread, so W threads work
// and none only waits (W = 1: no worker and no barrier at all). Which node runs where
// changes host timing only, never the trace.

import { availableParallelism } from "node:os";
import { importRuntimeModule } from "./module-location.ts";
import type { NodeGroup } from "./node-group.ts";
import { LocalNodeGroup } from "./node-group.ts";
import { NodeHost, type NodeMachineConfig } from "./node-host.ts";
import type { NodeBootConfig, NodeSoftwareModule } from "./node-software.ts";
import { spinChecksFor } from "./spin-budget.ts";
import { WorkerNodeGroup } from "./worker-node-group.ts";

export interface NodeGroupsSpec {
  nodeCount: number;
  workers: number;
  /** The module whose createNodeSoftware boots a node (the kernel's node entry). */
  softwareModuleUrl: string;
  bootConfig: (node: number) => NodeBootConfig;
  machineConfig: (node: number) => NodeMachineConfig;
}

/** The blocks of node numbers, one per thread: W of them at most, each ceil(N / W) long. */
function nodeBlocks(nodeCount: number, workers: number): number[][] {
  const perWorker = Math.ceil(nodeCount / Math.max(1, Math.min(workers, nodeCount)));
  const blocks: number[][] = [];
  for (let first = 0; first < nodeCount; first += perWorker) {
    blocks.push(
      Array.from({ length: Math.min(perWorker, nodeCount - first) }, (_, i) => first + i),
    );
  }
  return blocks;
}

/** How many worker threads (besides the coordinator's) `startNodeGroups` will use. */
export function workerThreadsFor(nodeCount: number, workers: number): number {
  return nodeBlocks(nodeCount, workers).length - 1;
}

export async function startNodeGroups(spec: NodeGroupsSpec): Promise<NodeGroup[]> {
  const blocks = nodeBlocks(spec.nodeCount, spec.workers);
  const spinChecks = spinChecksFor(blocks.length, availableParallelism());
  // The workers load and boot their nodes while this thread builds its own.
  const starting = Promise.all(
    blocks
      .slice(1)
      .map((nodes) =>
        WorkerNodeGroup.start(
          nodes,
          spec.softwareModuleUrl,
          spec.bootConfig,
          spec.machineConfig,
          spinChecks,
        ),
      ),
  );
  const module = (await importRuntimeModule(spec.softwareModuleUrl)) as NodeSoftwareModule;
  const local = new LocalNodeGroup(
    new NodeHost(blocks[0]!, module.createNodeSoftware, spec.bootConfig, spec.machineConfig),
  );
  const remote = await starting;
  // The local group first: its `begin` only notes the quantum and its `collect` runs it, so
  // with the workers after it every worker is started before the local nodes run and is
  // waited for only after.
  return [local, ...remote];
}

// Spreads the cluster's nodes over W groups: contiguous blocks of node numbers, one worker
// thread each, or all in the coordinator's own thread when W = 1 (no barrier at all). Which
// node runs where changes host timing only, never the trace.

import type { NodeGroup } from "./node-group.ts";
import { LocalNodeGroup } from "./node-group.ts";
import { NodeHost, type NodeMachineConfig } from "./node-host.ts";
import type { NodeBootConfig, NodeSoftwareModule } from "./node-software.ts";
import { WorkerNodeGroup } from "./worker-node-group.ts";

export interface NodeGroupsSpec {
  nodeCount: number;
  workers: number;
  /** The module whose createNodeSoftware boots a node (the kernel's node entry). */
  softwareModuleUrl: string;
  bootConfig: (node: number) => NodeBootConfig;
  machineConfig: (node: number) => NodeMachineConfig;
}

export async function startNodeGroups(spec: NodeGroupsSpec): Promise<NodeGroup[]> {
  const workers = Math.max(1, Math.min(spec.workers, spec.nodeCount));
  if (workers === 1) {
    const module = (await import(spec.softwareModuleUrl)) as NodeSoftwareModule;
    const nodes = Array.from({ length: spec.nodeCount }, (_, node) => node);
    return [
      new LocalNodeGroup(
        new NodeHost(nodes, module.createNodeSoftware, spec.bootConfig, spec.machineConfig),
      ),
    ];
  }
  const blocks: number[][] = [];
  const perWorker = Math.ceil(spec.nodeCount / workers);
  for (let first = 0; first < spec.nodeCount; first += perWorker) {
    blocks.push(
      Array.from({ length: Math.min(perWorker, spec.nodeCount - first) }, (_, i) => first + i),
    );
  }
  return Promise.all(
    blocks.map((nodes) =>
      WorkerNodeGroup.start(nodes, spec.softwareModuleUrl, spec.bootConfig, spec.machineConfig),
    ),
  );
}

// Node software that does nothing: what the barrier benchmark boots in a worker thread, so
// the time it measures is the quantum exchange alone (Atomics, codec), not guest work.

import type { NodeBootConfig, NodeOutputs, NodeSoftware } from "../../vm/cluster/node-software.ts";
import type { Machine } from "../../vm/machine.ts";

export function createNodeSoftware(
  _machine: Machine,
  _config: NodeBootConfig,
  _outputs: NodeOutputs,
): NodeSoftware {
  return {
    runUntil: () => {},
    status: (into) => {
      into.liveJobs = 1;
      into.canProgress = true;
      into.runnable = true;
      into.nextEventNs = Number.POSITIVE_INFINITY;
    },
    progress: () => ({}),
    finish: () => null,
  };
}

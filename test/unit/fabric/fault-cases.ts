// Fault settings shared by the fault tests and the lookahead property.

import { FaultInjector } from "../../../vm/fabric/fault-injector.ts";
import type { Medium } from "../../../vm/fabric/medium.ts";

/** Heavy faults: a fifth lost, a fifth duplicated, a fifth corrupted, and one partition. */
export function withFaults(medium: Medium, seed: number, nodeCount: number): Medium {
  return new FaultInjector(medium, {
    seed,
    lossRate: 0.2,
    duplicateRate: 0.2,
    corruptRate: 0.2,
    partitions: [{ fromNs: 500_000, durationNs: 2_000_000, nodes: [0, nodeCount - 1] }],
  });
}

// A set of nodes the coordinator drives as one: in its own thread (LocalNodeGroup) or in a
// worker thread (worker-node-group.ts). A quantum is `begin` on every group, then `collect`
// on every group, so worker groups run their quanta at the same time.

import type { FrameEvent } from "../fabric/medium.ts";
import type { FinalOutput, NodeHost, QuantumOutput } from "./node-host.ts";

export interface NodeGroup {
  readonly nodes: readonly number[];
  /** Starts a quantum: deliver `events` (all for this group's nodes), run to `untilNs`. */
  begin(events: FrameEvent[], untilNs: number): void;
  /** Waits for the quantum begun last and returns what its nodes produced. */
  collect(): QuantumOutput;
  /** Ends the run: each node's summary, in `nodes` order, and its closing lines. */
  finish(outcome: string): Promise<FinalOutput>;
  close(): Promise<void>;
}

export class LocalNodeGroup implements NodeGroup {
  private pending: QuantumOutput | undefined;

  constructor(private readonly host: NodeHost) {}

  get nodes(): readonly number[] {
    return this.host.nodes;
  }

  begin(events: FrameEvent[], untilNs: number): void {
    this.pending = this.host.step(events, untilNs);
  }

  collect(): QuantumOutput {
    const output = this.pending;
    if (!output) throw new Error("collect without begin");
    this.pending = undefined;
    return output;
  }

  async finish(outcome: string): Promise<FinalOutput> {
    return this.host.finish(outcome);
  }

  async close(): Promise<void> {}
}

// A set of nodes the coordinator drives as one: in its own thread (LocalNodeGroup) or in a
// worker thread (worker-node-group.ts). A quantum is `begin` on every group, then `collect`
// on every group: a worker group starts at `begin`, the local group runs in `collect`, so
// the coordinator's thread works on its own nodes while the workers work on theirs.

import type { FrameEvent } from "../fabric/medium.ts";
import type { FinalOutput, NodeHost, QuantumOutput } from "./node-host.ts";

export interface NodeGroup {
  readonly nodes: readonly number[];
  /** Starts a quantum: deliver `events` (all for this group's nodes), run to `untilNs`. */
  begin(events: FrameEvent[], untilNs: number, withProgress: boolean): void;
  /** Waits for the quantum begun last and returns what its nodes produced. */
  collect(): QuantumOutput;
  /** Ends the run: each node's summary, in `nodes` order, and its closing lines. */
  finish(outcome: string): Promise<FinalOutput>;
  close(): Promise<void>;
}

export class LocalNodeGroup implements NodeGroup {
  private pendingEvents: FrameEvent[] | undefined;
  private pendingUntilNs = 0;
  private pendingWithProgress = false;

  constructor(private readonly host: NodeHost) {}

  get nodes(): readonly number[] {
    return this.host.nodes;
  }

  begin(events: FrameEvent[], untilNs: number, withProgress: boolean): void {
    this.pendingEvents = events;
    this.pendingUntilNs = untilNs;
    this.pendingWithProgress = withProgress;
  }

  collect(): QuantumOutput {
    const events = this.pendingEvents;
    if (!events) throw new Error("collect without begin");
    this.pendingEvents = undefined;
    return this.host.step(events, this.pendingUntilNs, this.pendingWithProgress);
  }

  async finish(outcome: string): Promise<FinalOutput> {
    return this.host.finish(outcome);
  }

  async close(): Promise<void> {}
}

// Runs a set of the cluster's nodes in the current thread, one quantum at a time: hands each
// NIC the frame events the medium computed for it, runs each node's software to the quantum's
// end, and gathers what the nodes produced (frames, console writes, trace lines, reports,
// status). The same class serves W = 1 (the coordinator's own thread) and each worker thread
// (node-worker.ts), so the two paths cannot drift apart. A quantum allocates nothing when no
// node produced anything: two outputs take turns (what the nodes emit between steps goes
// into the one the next step returns) and the status records are reused, so a step's output
// is valid until the next step.

import type { FrameEvent, FrameSubmission } from "../fabric/medium.ts";
import { Machine } from "../machine.ts";
import type {
  ConsoleRecord,
  NodeBootConfig,
  NodeProgress,
  NodeSoftware,
  NodeSoftwareFactory,
  NodeStatus,
} from "./node-software.ts";

/** A trace line or a report with the node and virtual time it came from. */
export interface TimedLine {
  atNs: number;
  node: number;
  line: string;
}

export interface QuantumOutput {
  frames: FrameSubmission[];
  console: ConsoleRecord[];
  traces: TimedLine[];
  reports: TimedLine[];
  /** One per hosted node, in the order of `nodes`. */
  statuses: NodeStatus[];
  /** One per hosted node when the quantum asked for them, else empty. */
  progress: NodeProgress[];
}

/** What the nodes give when the run ends. */
export interface FinalOutput {
  summaries: unknown[];
  traces: TimedLine[];
  reports: TimedLine[];
}

export interface NodeMachineConfig {
  clockHz: number;
  memoryBytes: number;
}

export class NodeHost {
  private readonly machines: Machine[] = [];
  private readonly software: NodeSoftware[] = [];
  private readonly indexByNode = new Map<number, number>();
  /** Collects what the nodes emit until the next step returns it. */
  private output: QuantumOutput = emptyOutput();
  /** The output the last step returned, cleared and reused by the next. */
  private spare: QuantumOutput = emptyOutput();
  /** Each node's status after it last ran; runnable before its first quantum, so it runs. */
  private readonly statuses: NodeStatus[] = [];
  /** 1 when frame events were scheduled on the node since it last ran. */
  private readonly hasEvents: Uint8Array;
  private lastUntilNs = 0;

  constructor(
    readonly nodes: readonly number[],
    factory: NodeSoftwareFactory,
    bootConfig: (node: number) => NodeBootConfig,
    machineConfig: (node: number) => NodeMachineConfig,
  ) {
    this.hasEvents = new Uint8Array(nodes.length);
    nodes.forEach((node, index) => {
      this.statuses.push({ liveJobs: 0, canProgress: true, runnable: true, nextEventNs: 0 });
      this.indexByNode.set(node, index);
      const { clockHz, memoryBytes } = machineConfig(node);
      const machine = new Machine({ node, clockHz, memoryBytes });
      this.machines.push(machine);
      this.software.push(
        factory(machine, bootConfig(node), {
          console: (record) => this.output.console.push(record),
          trace: (line, atNs) => this.output.traces.push({ atNs, node, line }),
          report: (line, atNs) => this.output.reports.push({ atNs, node, line }),
        }),
      );
    });
  }

  /**
   * Delivers `events` (for hosted nodes), runs every node to `untilNs`, returns its output,
   * with each node's progress figures when `withProgress`. The output is reused: it is valid
   * until the next call.
   */
  step(events: readonly FrameEvent[], untilNs: number, withProgress: boolean): QuantumOutput {
    const output = this.output;
    for (const event of events) {
      const index = this.indexByNode.get(event.node);
      if (index === undefined)
        throw new RangeError(`frame event for node ${event.node}, not hosted here`);
      this.machines[index]!.nic.schedule(event);
      this.hasEvents[index] = 1;
    }
    for (let index = 0; index < this.software.length; index++) {
      const last = this.statuses[index]!;
      // An idle node with nothing due before the quantum's end and no frame arriving is left
      // where it is: running it later passes the same idle time in one step, with the same
      // result, so an idle node costs nothing per quantum.
      if (!last.runnable && last.nextEventNs >= untilNs && this.hasEvents[index] === 0) {
        continue;
      }
      this.hasEvents[index] = 0;
      const software = this.software[index]!;
      software.runUntil(untilNs);
      for (const frame of this.machines[index]!.nic.takeOutgoing()) output.frames.push(frame);
      software.status(last);
    }
    this.lastUntilNs = untilNs;
    output.statuses = this.statuses;
    if (withProgress)
      for (const software of this.software) output.progress.push(software.progress());
    const spare = this.spare;
    spare.frames.length = 0;
    spare.console.length = 0;
    spare.traces.length = 0;
    spare.reports.length = 0;
    spare.progress.length = 0;
    this.spare = output;
    this.output = spare;
    return output;
  }

  finish(outcome: string): FinalOutput {
    // Nodes left idle catch up to the run's end first, so their closing figures agree.
    for (const software of this.software) software.runUntil(this.lastUntilNs);
    const summaries = this.software.map((software) => software.finish(outcome));
    const traces = this.output.traces.splice(0);
    const reports = this.output.reports.splice(0);
    return { summaries, traces, reports };
  }

  /** The NIC counters of each hosted node, for the summary. */
  nicCounters(): unknown[] {
    return this.machines.map((machine) => ({ ...machine.nic.counters }));
  }
}

function emptyOutput(): QuantumOutput {
  return { frames: [], console: [], traces: [], reports: [], statuses: [], progress: [] };
}

// The cluster's coordinator (docs/network.md, "Quanta"): N nodes advance together in quanta of
// virtual time no longer than the medium's lookahead, so no frame handed over during a
// quantum can take effect inside it. At each boundary the frames of the quantum are fed to
// the medium in the total order (handedAtNs, sourceNode, seq), the medium's events for the
// next quantum go to the nodes' NICs, and everything the nodes printed or traced is merged in
// virtual-time order. Quanta in which no node has a process to run and nothing is on the wire
// are passed in one step, up to the next event anywhere. Nothing here depends on how the
// nodes are spread over threads, so the trace is the same for any worker count. A quantum in
// which nothing crossed the network and nobody printed allocates nothing here (16 busy nodes
// exchange quanta tens of thousands of times a virtual second; garbage would mean collector
// pauses, and a pause in one thread stalls them all at the next boundary).

import { createHash } from "node:crypto";
import type { FrameEvent, FrameSubmission, Medium, MediumIncident } from "../fabric/medium.ts";
import type { NodeGroup } from "./node-group.ts";
import type { TimedLine } from "./node-host.ts";
import type { ConsoleRecord, NodeProgress, NodeStatus } from "./node-software.ts";

export type ClusterOutcome = "exited" | "time-limit" | "deadlock";

export interface ClusterListener {
  /** Guest console writes, in the order of their write calls' virtual time, then pid. */
  console(record: ConsoleRecord): void;
  /** Trace lines in (time, node) order; the trace hash covers exactly these. */
  trace?(line: string): void;
  /** Kernel reports (faults, kills) in (time, node) order. */
  report(line: string, node: number): void;
  /** Once per virtual second: every node's progress figures, by node. */
  second?(atNs: number, progress: readonly NodeProgress[]): void;
}

export interface ClusterRunResult {
  outcome: ClusterOutcome;
  virtualNs: number;
  traceHash: string;
  quanta: number;
  /** Each node's summary from its software, by node number. */
  summaries: unknown[];
}

export interface ClusterRunOptions {
  nodeCount: number;
  medium: Medium;
  groups: readonly NodeGroup[];
  untilNs: number;
  listener: ClusterListener;
}

const secondNs = 1_000_000_000;

export async function runCluster(options: ClusterRunOptions): Promise<ClusterRunResult> {
  const { medium, groups, listener, nodeCount } = options;
  const quantumNs = Math.floor(medium.lookaheadNs);
  if (!(quantumNs > 0)) throw new RangeError(`medium ${medium.name} has no lookahead`);
  const hash = createHash("sha256");
  const statuses: NodeStatus[] = new Array(nodeCount);
  const progress: NodeProgress[] = new Array(nodeCount);
  const eventsByGroup: FrameEvent[][] = groups.map(() => []);
  const groupOfNode = new Int32Array(nodeCount);
  groups.forEach((group, index) => {
    for (const node of group.nodes) groupOfNode[node] = index;
  });
  let boundaryNs = 0;
  let quanta = 0;
  let nextSecondNs = secondNs;
  let outcome: ClusterOutcome | undefined;
  let anyoneRunnable = true;
  let nextNodeEventNs = 0;
  let heldFrames: FrameSubmission[] = [];
  let frames: FrameSubmission[] = [];
  const consoleRecords: ConsoleRecord[] = [];
  const traces: TimedLine[] = [];
  const reports: TimedLine[] = [];

  while (outcome === undefined) {
    if (boundaryNs >= options.untilNs) {
      outcome = "time-limit";
      break;
    }
    let endNs = boundaryNs + quantumNs;
    if (!anyoneRunnable && heldFrames.length === 0) {
      // Nobody has a process to run and no frame waits: nothing happens before the next event
      // anywhere. (A held frame must reach the medium before it may be asked about later times.)
      const nextNs = Math.floor(Math.min(nextNodeEventNs, medium.nextEventNs()));
      if (nextNs > endNs) endNs = nextNs;
    }
    endNs = Math.min(endNs, options.untilNs);
    for (const events of eventsByGroup) events.length = 0;
    for (const event of medium.eventsBefore(endNs))
      eventsByGroup[groupOfNode[event.node]!]!.push(event);
    consoleRecords.length = 0;
    traces.length = 0;
    reports.length = 0;
    const incidents = medium.takeIncidents?.();
    if (incidents !== undefined)
      for (const incident of incidents) traces.push(incidentLine(incident));
    const withProgress = listener.second !== undefined && endNs >= nextSecondNs;
    for (let index = 0; index < groups.length; index++) {
      groups[index]!.begin(eventsByGroup[index]!, endNs, withProgress);
    }
    // The frames held last quantum go first; this quantum's held ones go to the spare array.
    const spare = frames;
    frames = heldFrames;
    heldFrames = spare;
    heldFrames.length = 0;
    for (const group of groups) {
      const output = group.collect();
      for (const frame of output.frames) frames.push(frame);
      for (const record of output.console) consoleRecords.push(record);
      for (const line of output.traces) traces.push(line);
      for (const line of output.reports) reports.push(line);
      const nodes = group.nodes;
      for (let index = 0; index < nodes.length; index++) {
        statuses[nodes[index]!] = output.statuses[index]!;
        if (withProgress) progress[nodes[index]!] = output.progress[index]!;
      }
    }
    if (frames.length > 1) frames.sort(frameBefore);
    // Kernel work charged at the end of a quantum can carry a node a little past it: frames it
    // handed over after the boundary wait for the next one, so the medium sees them in order.
    for (const frame of frames) {
      if (frame.handedAtNs < endNs) medium.submit(frame);
      else heldFrames.push(frame);
    }
    emitInOrder(consoleRecords, traces, reports, hash, listener);
    boundaryNs = endNs;
    quanta++;

    let liveJobs = 0;
    let canProgress = false;
    anyoneRunnable = false;
    nextNodeEventNs = Number.POSITIVE_INFINITY;
    for (const status of statuses) {
      liveJobs += status.liveJobs;
      canProgress ||= status.canProgress;
      anyoneRunnable ||= status.runnable;
      nextNodeEventNs = Math.min(nextNodeEventNs, status.nextEventNs);
    }
    if (withProgress) {
      // One line for the second just crossed (an idle skip may cross several at once).
      listener.second?.(Math.floor(boundaryNs / secondNs) * secondNs, progress);
      nextSecondNs = (Math.floor(boundaryNs / secondNs) + 1) * secondNs;
    }
    if (liveJobs === 0) outcome = "exited";
    else if (
      !canProgress &&
      heldFrames.length === 0 &&
      medium.nextEventNs() === Number.POSITIVE_INFINITY
    ) {
      outcome = "deadlock";
    }
  }

  const summaries: unknown[] = new Array(nodeCount);
  const finished = await Promise.all(groups.map((group) => group.finish(outcome)));
  const closingTraces: TimedLine[] = [];
  const closingReports: TimedLine[] = [];
  groups.forEach((group, index) => {
    const final = finished[index]!;
    group.nodes.forEach((node, position) => {
      summaries[node] = final.summaries[position];
    });
    closingTraces.push(...final.traces);
    closingReports.push(...final.reports);
  });
  emitInOrder([], closingTraces, closingReports, hash, listener);
  return { outcome, virtualNs: boundaryNs, traceHash: hash.digest("hex"), quanta, summaries };
}

function frameBefore(a: FrameSubmission, b: FrameSubmission): number {
  return a.handedAtNs - b.handedAtNs || a.sourceNode - b.sourceNode || a.seq - b.seq;
}

const incidentNames = [
  "collision",
  "give-up",
  "queue-drop",
  "fault-loss",
  "fault-corrupt",
  "fault-duplicate",
  "partition-drop",
  "partition",
  "heal",
];

/** A medium's incident as a trace line of the node it concerns. */
function incidentLine(incident: MediumIncident): TimedLine {
  const head = {
    t: Math.round(incident.atNs),
    node: incident.node,
    event: incidentNames[incident.kind] ?? "incident",
  };
  // A partition's start and end name the nodes cut off; a frame's incident names the frame.
  const line = JSON.stringify(
    incident.nodes !== undefined
      ? { ...head, nodes: incident.nodes }
      : { ...head, from: incident.sourceNode, frame: incident.seq },
  );
  return { atNs: incident.atNs, node: incident.node, line };
}

/** Console writes by (time, pid), trace lines and reports by (time, node); stable within. */
function emitInOrder(
  consoleRecords: ConsoleRecord[],
  traces: TimedLine[],
  reports: TimedLine[],
  hash: ReturnType<typeof createHash>,
  listener: ClusterListener,
): void {
  if (consoleRecords.length > 1) consoleRecords.sort((a, b) => a.atNs - b.atNs || a.pid - b.pid);
  for (const record of consoleRecords) listener.console(record);
  if (traces.length > 1) traces.sort(lineBefore);
  for (const trace of traces) {
    hash.update(trace.line);
    hash.update("\n");
    listener.trace?.(trace.line);
  }
  if (reports.length > 1) reports.sort(lineBefore);
  for (const report of reports) listener.report(report.line, report.node);
}

function lineBefore(a: TimedLine, b: TimedLine): number {
  return a.atNs - b.atNs || a.node - b.node;
}

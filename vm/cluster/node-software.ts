// What vm/cluster knows of the software a node runs: a factory the worker is handed by module
// URL (the kernel's entry, kernel/boot/node-entry.ts), so vm/ never imports kernel/. The
// cluster only asks it to run to a time, and for the few facts its scheduling of quanta and
// its end condition need; everything it says crosses as JSON-safe values or bytes.

import type { Machine } from "../machine.ts";

/** What one node's software is booted with. JSON-safe: it is posted to worker threads. */
export interface NodeBootConfig {
  node: number;
  nodeCount: number;
  /** The cluster seed; the node derives its own streams from it and its number. */
  seed: number;
  /** The software's own options (the kernel's: files, runs, time slice ...). */
  options: unknown;
}

/** A guest write to the console, stamped with the virtual time of the write call. */
export interface ConsoleRecord {
  atNs: number;
  pid: number;
  /** 0 stdout, 1 stderr. */
  channel: number;
  bytes: Uint8Array;
}

/** What a node tells the cluster at the end of each quantum. */
export interface NodeStatus {
  /** Live processes that keep the run going (descendants of --run programs). */
  liveJobs: number;
  /**
   * Something here can still happen without a frame arriving: a process ready or running, a
   * wake-up pending (sleep, receive timeout), or a network request unanswered.
   */
  canProgress: boolean;
  /** A process is ready or running: the node is using its quantum. */
  runnable: boolean;
  /** The earliest virtual time at which this node has anything to do by itself. */
  nextEventNs: number;
}

/** Figures for the live status line (e.g. load, messages), opaque to the cluster. */
export type NodeProgress = Record<string, number>;

export interface NodeOutputs {
  console(record: ConsoleRecord): void;
  trace(line: string, atNs: number): void;
  /** One-line kernel reports (faults, kills), for stderr. */
  report(line: string, atNs: number): void;
}

export interface NodeSoftware {
  /** Runs until the machine's virtual time reaches `untilNs`. */
  runUntil(untilNs: number): void;
  /** Writes the node's status into `into` (one object per node, reused every quantum). */
  status(into: NodeStatus): void;
  /** Asked once per virtual second, for the live status line. */
  progress(): NodeProgress;
  /** Ends the run: the node's summary, JSON-safe. */
  finish(outcome: string): unknown;
}

export type NodeSoftwareFactory = (
  machine: Machine,
  config: NodeBootConfig,
  outputs: NodeOutputs,
) => NodeSoftware;

/** The shape of the module a worker imports: its default export is the factory. */
export interface NodeSoftwareModule {
  createNodeSoftware: NodeSoftwareFactory;
}

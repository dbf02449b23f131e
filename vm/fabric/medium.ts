// The contract between a network medium (token ring, shared Ethernet, switched Ethernet) and
// the cluster that drives it. A medium is a timing model in virtual time and nothing else: it
// is fed every frame a NIC hands it, in the cluster's total order (handedAtNs, sourceNode,
// seq), and answers when and where each frame arrives and when its sender's NIC hears that the
// transmission ended. It never sees a kernel or a JS object from a node: only frame bytes.
//
// Conservative synchronisation rests on `lookaheadNs`: no event a medium produces for a
// frame happens earlier than `handedAtNs + lookaheadNs`, and a frame handed at h changes no
// event earlier than h + lookaheadNs. So when every frame handed before B has been submitted,
// every event before B + lookaheadNs is final, and each node may run the quantum
// [B, B + lookaheadNs) on its own. docs/network.md derives each medium's lookaheadNs.

import type { FaultCounters } from "./fault-injector.ts";

/** One frame as a NIC handed it over: Ethernet II bytes with the FCS already appended. */
export interface FrameSubmission {
  sourceNode: number;
  /** Per source node, counting from 0: the tie-breaker of the total order. */
  seq: number;
  handedAtNs: number;
  bytes: Uint8Array;
}

export const enum FrameEventKind {
  /** The frame reached `node`'s NIC; `bytes` are what arrived (possibly corrupted). */
  Receive = 0,
  /** The sender's transmission ended; `delivered` says whether the medium carried it. */
  TransmitDone = 1,
}

export interface FrameEvent {
  kind: FrameEventKind;
  /** The node whose NIC the event is for. */
  node: number;
  atNs: number;
  /** The frame's identity in the total order. */
  sourceNode: number;
  seq: number;
  /** Receive: the frame's bytes. TransmitDone: empty. */
  bytes: Uint8Array;
  /**
   * TransmitDone: false when the medium gave up on it at the sender (16 collisions on
   * Ethernet). A frame lost further on (a switch port's full queue) was delivered as far as its
   * sender can tell; the medium counts it in framesDropped. Receive: always true.
   */
  delivered: boolean;
}

/** The order every medium hands events out in: (atNs, node, sourceNode, seq, kind). */
export function frameEventBefore(a: FrameEvent, b: FrameEvent): boolean {
  if (a.atNs !== b.atNs) return a.atNs < b.atNs;
  if (a.node !== b.node) return a.node < b.node;
  if (a.sourceNode !== b.sourceNode) return a.sourceNode < b.sourceNode;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return a.kind < b.kind;
}

/** What a medium counts, for the summary, the benchmark and the tests. */
export interface MediumCounters {
  framesSubmitted: number;
  /** Receive events produced: a broadcast counts once per station it reaches. */
  framesDelivered: number;
  /** Frames dropped by the medium itself: queue overflow, give-up after collisions. */
  framesDropped: number;
  /** Ethernet: attempts that collided, one per station involved. */
  collisions: number;
  /** Frame bytes (preamble and ring framing excluded) of every frame the medium carried. */
  bytesCarried: number;
  /** Incidents not kept because nobody took them (more than mediumIncidentsMax waiting). */
  incidentsLost?: number;
}

export const enum MediumIncidentKind {
  /** An Ethernet attempt collided; `node` is the station, `atNs` when it detected it. */
  Collision = 0,
  /** The 16th collision gave the frame up; `atNs` is the end of the last jam. */
  GiveUp = 1,
  /** A switch port's full queue dropped the frame; `node` is the port's node. */
  QueueDrop = 2,
  /** Fault injection: the delivery to `node` at `atNs` was lost. */
  FaultLoss = 3,
  /** Fault injection: the delivery to `node` at `atNs` had a bit flipped. */
  FaultCorruption = 4,
  /** Fault injection: the delivery to `node` at `atNs` will arrive twice. */
  FaultDuplicate = 5,
  /** Fault injection: the delivery to `node` at `atNs` crossed a partition and was lost. */
  PartitionDrop = 6,
  /** Fault injection: a partition's cut begins; `node` is the lowest node cut off. */
  PartitionStart = 7,
  /** Fault injection: a partition's cut ends. */
  PartitionHeal = 8,
}

/** Something worth a trace line that is not an event for a NIC. */
export interface MediumIncident {
  kind: MediumIncidentKind;
  atNs: number;
  node: number;
  /** The frame's identity in the total order (-1 for a partition's start or heal). */
  sourceNode: number;
  seq: number;
  /** PartitionStart and PartitionHeal: the nodes cut off, e.g. "1,3-5". */
  nodes?: string;
}

/** Incidents a medium keeps until they are taken; beyond, it counts them in incidentsLost. */
export const mediumIncidentsMax = 1 << 16;

export interface Medium {
  /** e.g. "token-ring:80", "ethernet", "switched:1000". */
  readonly name: string;
  /** The longest quantum the cluster may run between exchanges (see top of file). */
  readonly lookaheadNs: number;
  /** Frames must come in the total order (handedAtNs, sourceNode, seq). */
  submit(frame: FrameSubmission): void;
  /**
   * Every event with atNs < untilNs, ordered by (atNs, node, sourceNode, seq, kind). The caller
   * has submitted every frame handed before untilNs - lookaheadNs. Events are returned once.
   */
  eventsBefore(untilNs: number): readonly FrameEvent[];
  /**
   * A lower bound on the time of the earliest event not yet returned (frames still in the
   * medium's simulation may produce theirs later than it); Infinity when the medium holds no
   * frame and no event. The cluster may skip idle quanta up to it, then ask again.
   */
  nextEventNs(): number;
  readonly counters: MediumCounters;
  /**
   * The incidents decided since the last call, for the trace; each is final once returned.
   * Once eventsBefore(U) has been called, every incident before U - lookaheadNs has been
   * returned or is in this call's answer, which is not sorted and may hold later ones too:
   * the cluster orders its trace by time. Optional: a medium with nothing to report leaves it
   * out.
   */
  takeIncidents?(): MediumIncident[];
  /** What seeded faults did to the deliveries (a medium wrapped by the fault injector). */
  readonly faults?: FaultCounters;
}
